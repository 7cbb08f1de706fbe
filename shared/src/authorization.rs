//! Who may do what. Every domain operation asks [`authorize`] with the acting [`Principal`];
//! handlers never decide access. The table-driven test below is the whole policy.

use serde::{Deserialize, Serialize};

use crate::{
    ids::{SignInId, UserId},
    values::{DisplayName, Email},
};

/// A person's part in a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganizerRole {
    Owner,
    CoOrganizer,
}

/// The one acting: nobody, or a signed-in user.
#[derive(Clone, Debug)]
pub enum Principal {
    Anonymous,
    User(Box<Actor>),
}

/// A signed-in user and the sign-in they act through.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user: ActingUser,
    pub sign_in: SignInId,
}

/// What the domain needs of the acting user: who they are (to attribute what they do) and their
/// standing (to decide what they may). Built from the account when the sign-in is resolved
/// (`From<accounts::User>`), so this module knows nothing of how accounts are stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActingUser {
    pub id: UserId,
    pub email: Email,
    pub display_name: DisplayName,
    pub superadmin: bool,
    pub blocked: bool,
}

impl Principal {
    pub fn actor(&self) -> Option<&Actor> {
        match self {
            Principal::Anonymous => None,
            Principal::User(actor) => Some(actor),
        }
    }
}

/// Everything that needs permission.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// See and change one's own account, sign out (everywhere).
    ManageOwnAccount,
    /// List and search all users.
    ListUsers,
    /// Block or unblock another user.
    BlockUsers,
    /// Start a new jam series (as its owner).
    CreateSeries,
    /// Accept a co-organizer invite (the signed link is the permission to join).
    AcceptInvite,
    /// See a series' organizer pages: its sessions, organizers and counts.
    ViewSeries,
    /// Change a series and run its sessions: edit, archive, photo, schedule, override, cancel
    /// and complete sessions.
    EditSeries,
    /// Delete a series.
    DeleteSeries,
    /// Invite co-organizers, revoke invites, remove co-organizers.
    ManageOrganizers,
    /// Step down as a co-organizer.
    LeaveSeries,
    /// See a series' registrations and run them: enter someone, move between roles or off the
    /// waitlist, cancel for someone, mark attendance, export.
    ManageRegistrations,
    /// See the delivery log of every email and the suppression list, and lift a suppression.
    ManageDeliveries,
}

impl Operation {
    pub const ALL: [Operation; 12] = [
        Operation::ManageOwnAccount,
        Operation::ListUsers,
        Operation::BlockUsers,
        Operation::CreateSeries,
        Operation::AcceptInvite,
        Operation::ViewSeries,
        Operation::EditSeries,
        Operation::DeleteSeries,
        Operation::ManageOrganizers,
        Operation::LeaveSeries,
        Operation::ManageRegistrations,
        Operation::ManageDeliveries,
    ];
}

/// Why an operation was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("sign in to do this")]
    SignInRequired,
    #[error("this account is blocked")]
    Blocked,
    #[error("you are not allowed to do this")]
    Forbidden,
}

/// Why a sensitive change of one's own account (its password, address, or deleting it) needs
/// more proof that its owner is at the keyboard: their current password, or a sign-in by email
/// link in the last 10 minutes (checked by `passwords::confirm_recent`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotRecent {
    #[error("Type your current password to confirm it is you.")]
    PasswordMissing,
    #[error("That is not your current password.")]
    WrongPassword,
    #[error(
        "For your safety, this needs a sign-in from the last 10 minutes. We can email you a sign-in link that brings you back here."
    )]
    SignInAgain,
    #[error(
        "Password checks are paused for 15 minutes after too many attempts. Use an email sign-in link instead."
    )]
    Paused,
}

/// The actor allowed to perform `operation`, which concerns no series, or why not.
pub fn authorize(principal: &Principal, operation: Operation) -> Result<&Actor, Denied> {
    authorize_in(principal, None, operation)
}

/// The actor allowed to perform `operation` on a series in which they hold `role` (none when
/// they do not organize it), or why not.
pub fn authorize_in(
    principal: &Principal,
    role: Option<OrganizerRole>,
    operation: Operation,
) -> Result<&Actor, Denied> {
    let actor = principal.actor().ok_or(Denied::SignInRequired)?;
    if actor.user.blocked {
        return Err(Denied::Blocked);
    }
    let owner = role == Some(OrganizerRole::Owner);
    let organizer = role.is_some();
    let allowed = match operation {
        Operation::ManageOwnAccount | Operation::CreateSeries | Operation::AcceptInvite => true,
        Operation::ListUsers | Operation::BlockUsers | Operation::ManageDeliveries => {
            actor.user.superadmin
        }
        Operation::ViewSeries => organizer || actor.user.superadmin,
        Operation::EditSeries | Operation::ManageRegistrations => organizer,
        Operation::DeleteSeries | Operation::ManageOrganizers => owner,
        Operation::LeaveSeries => role == Some(OrganizerRole::CoOrganizer),
    };
    if allowed {
        Ok(actor)
    } else {
        Err(Denied::Forbidden)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The roles of the matrix: how the actor stands to the series the operation concerns.
    #[derive(Clone, Copy, Debug)]
    pub enum Role {
        Anonymous,
        /// Signed in, organizes none of it.
        User,
        Owner,
        CoOrganizer,
        /// The series' owner, blocked.
        Blocked,
        /// A superadmin who does not organize the series.
        Superadmin,
    }

    pub fn principal(role: Role) -> Principal {
        let user = ActingUser {
            id: UserId::generate(),
            email: Email::parse("someone@example.org").unwrap(),
            display_name: DisplayName::parse("Someone").unwrap(),
            superadmin: matches!(role, Role::Superadmin),
            blocked: matches!(role, Role::Blocked),
        };
        match role {
            Role::Anonymous => Principal::Anonymous,
            _ => Principal::User(Box::new(Actor {
                user,
                sign_in: SignInId::generate(),
            })),
        }
    }

    fn membership(role: Role) -> Option<OrganizerRole> {
        match role {
            Role::Owner | Role::Blocked => Some(OrganizerRole::Owner),
            Role::CoOrganizer => Some(OrganizerRole::CoOrganizer),
            Role::Anonymous | Role::User | Role::Superadmin => None,
        }
    }

    #[test]
    fn the_authorization_matrix() {
        use Denied::*;
        use Operation::*;
        type Cell = Result<(), Denied>;
        const OK: Cell = Ok(());
        const IN: Cell = Err(SignInRequired);
        const NO: Cell = Err(Forbidden);
        const BL: Cell = Err(Blocked);
        // operation:           anonymous user owner co-org blocked superadmin
        let matrix: [(Operation, [Cell; 6]); 12] = [
            (ManageOwnAccount, [IN, OK, OK, OK, BL, OK]),
            (ListUsers, [IN, NO, NO, NO, BL, OK]),
            (BlockUsers, [IN, NO, NO, NO, BL, OK]),
            (CreateSeries, [IN, OK, OK, OK, BL, OK]),
            (AcceptInvite, [IN, OK, OK, OK, BL, OK]),
            (ViewSeries, [IN, NO, OK, OK, BL, OK]),
            (EditSeries, [IN, NO, OK, OK, BL, NO]),
            (DeleteSeries, [IN, NO, OK, NO, BL, NO]),
            (ManageOrganizers, [IN, NO, OK, NO, BL, NO]),
            (LeaveSeries, [IN, NO, NO, OK, BL, NO]),
            (ManageRegistrations, [IN, NO, OK, OK, BL, NO]),
            (ManageDeliveries, [IN, NO, NO, NO, BL, OK]),
        ];
        assert_eq!(
            matrix.len(),
            Operation::ALL.len(),
            "every operation has a row"
        );
        let roles = [
            Role::Anonymous,
            Role::User,
            Role::Owner,
            Role::CoOrganizer,
            Role::Blocked,
            Role::Superadmin,
        ];
        for (operation, row) in matrix {
            for (role, expected) in roles.into_iter().zip(row) {
                let actual = authorize_in(&principal(role), membership(role), operation).map(drop);
                assert_eq!(actual, expected, "{operation:?} as {role:?}");
            }
        }
    }
}
