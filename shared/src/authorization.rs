//! Who may do what. Every domain operation asks [`authorize`] with the acting [`Principal`];
//! handlers never decide access. The table-driven test below is the whole policy.

use crate::accounts::User;

/// The one acting: nobody, or a signed-in user.
#[derive(Clone, Debug)]
pub enum Principal {
    Anonymous,
    User(Box<Actor>),
}

/// A signed-in user and the session they act through.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user: User,
    pub session_id: String,
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
    /// See and change one's own account, log out (everywhere).
    ManageOwnAccount,
    /// List and search all users.
    ListUsers,
    /// Block or unblock another user.
    BlockUsers,
    /// Start a new jam series (as its owner).
    CreateSeries,
}

impl Operation {
    pub const ALL: [Operation; 4] = [
        Operation::ManageOwnAccount,
        Operation::ListUsers,
        Operation::BlockUsers,
        Operation::CreateSeries,
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

/// The actor allowed to perform `operation`, or why not.
pub fn authorize(principal: &Principal, operation: Operation) -> Result<&Actor, Denied> {
    let actor = principal.actor().ok_or(Denied::SignInRequired)?;
    if actor.user.blocked.is_some() {
        return Err(Denied::Blocked);
    }
    let allowed = match operation {
        Operation::ManageOwnAccount | Operation::CreateSeries => true,
        Operation::ListUsers | Operation::BlockUsers => actor.user.superadmin,
    };
    if allowed {
        Ok(actor)
    } else {
        Err(Denied::Forbidden)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::{
        accounts::{Block, DisplayName, Email},
        ids::UserId,
    };

    /// The roles of the matrix.
    #[derive(Clone, Copy, Debug)]
    pub enum Role {
        Anonymous,
        User,
        Blocked,
        Superadmin,
    }

    pub fn principal(role: Role) -> Principal {
        let user = User {
            id: UserId::generate(),
            email: Email::parse("someone@example.org").unwrap(),
            display_name: DisplayName::parse("Someone").unwrap(),
            created_at: Timestamp::UNIX_EPOCH,
            last_login_at: None,
            superadmin: matches!(role, Role::Superadmin),
            blocked: matches!(role, Role::Blocked).then(|| Block {
                reason: "spam".to_owned(),
                at: Timestamp::UNIX_EPOCH,
                by: UserId::generate(),
            }),
            series_count: 0,
        };
        match role {
            Role::Anonymous => Principal::Anonymous,
            _ => Principal::User(Box::new(Actor {
                user,
                session_id: "s".to_owned(),
            })),
        }
    }

    #[test]
    fn the_authorization_matrix() {
        use Denied::*;
        use Operation::*;
        type Cell = Result<(), Denied>;
        // operation:         anonymous              user             blocked          superadmin
        let matrix: [(Operation, [Cell; 4]); 4] = [
            (
                ManageOwnAccount,
                [Err(SignInRequired), Ok(()), Err(Blocked), Ok(())],
            ),
            (
                ListUsers,
                [Err(SignInRequired), Err(Forbidden), Err(Blocked), Ok(())],
            ),
            (
                BlockUsers,
                [Err(SignInRequired), Err(Forbidden), Err(Blocked), Ok(())],
            ),
            (
                CreateSeries,
                [Err(SignInRequired), Ok(()), Err(Blocked), Ok(())],
            ),
        ];
        assert_eq!(
            matrix.len(),
            Operation::ALL.len(),
            "every operation has a row"
        );
        let roles = [Role::Anonymous, Role::User, Role::Blocked, Role::Superadmin];
        for (operation, row) in matrix {
            for (role, expected) in roles.into_iter().zip(row) {
                let actual = authorize(&principal(role), operation).map(drop);
                assert_eq!(actual, expected, "{operation:?} as {role:?}");
            }
        }
    }
}
