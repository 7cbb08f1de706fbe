//! Each domain error's one way into an [`AppError`]: the status and the words a refusal gets.
//! Handlers use `?`; a form's field errors are rendered beside the fields before they get here.

use jamie::{
    accounts::{AccountError, EmailChangeError},
    authorization::Denied,
    bookings::BookingError,
    deliveries::DeliveriesError,
    jams::{
        invites::InviteError,
        photos::{PhotoError, UploadError},
        series::SeriesError,
        sessions::SessionError,
    },
    passwords::SetPasswordError,
    sign_ins::SignInError,
    store::StoreError,
};

use jamie_templates::pages::error::NextStep;

use crate::AppError;

/// What a form's errors become when no page is there to show them beside their fields: a
/// form no page of ours sends that way.
const FORM_REFUSED: &str =
    "Part of the form was not acceptable. Go back, correct it and send it again.";

impl From<jamie::Error> for AppError {
    fn from(error: jamie::Error) -> Self {
        match error {
            // Unreachable, or still throttled after the store's retries: try again later.
            jamie::Error::Store(StoreError::Unavailable(_) | StoreError::Transient(_)) => {
                Self::Unavailable(error)
            }
            other => Self::Internal(other),
        }
    }
}

impl AppError {
    /// A refusal by [`jamie::authorization`], with the words for what only others may do here.
    fn denied(denied: Denied, only_others_may: &'static str) -> Self {
        match denied {
            Denied::SignInRequired => Self::SignInRequired,
            Denied::Blocked => Self::Blocked,
            Denied::Forbidden => Self::Forbidden(only_others_may),
        }
    }
}

impl From<Denied> for AppError {
    fn from(denied: Denied) -> Self {
        Self::denied(denied, "Your account is not allowed to do this.")
    }
}

impl From<SeriesError> for AppError {
    fn from(error: SeriesError) -> Self {
        match error {
            SeriesError::Denied(denied) => Self::denied(
                denied,
                "Only the series' owner can do this; co-organizers can do everything else.",
            ),
            // Someone else's series is as absent as one that never existed.
            SeriesError::NotFound => Self::NotFound,
            SeriesError::HasRegistrations | SeriesError::OwnerCannotLeave => {
                Self::Refused(error.to_string().into())
            }
            SeriesError::Invalid(_) => Self::BadRequest(FORM_REFUSED),
            SeriesError::Internal(error) => error.into(),
        }
    }
}

impl From<SessionError> for AppError {
    fn from(error: SessionError) -> Self {
        match error {
            SessionError::Series(error) => error.into(),
            SessionError::NotFound => Self::NotFound,
            SessionError::NotScheduled | SessionError::NotStarted => {
                Self::Refused(error.to_string().into())
            }
            SessionError::Invalid(_) => Self::BadRequest(FORM_REFUSED),
            SessionError::Busy(_) => Self::Busy,
            SessionError::TooManyMessages {
                per: jamie::limits::Per::Hour,
                ..
            } => Self::RateLimited(
                "This session's organizers have sent 3 messages this hour, the most Jamie sends. Try again at the top of the hour.",
            ),
            SessionError::TooManyMessages {
                per: jamie::limits::Per::Day,
                ..
            } => Self::RateLimited(
                "You have sent 10 messages today, the most Jamie sends for one organizer. Try again tomorrow.",
            ),
        }
    }
}

impl From<BookingError> for AppError {
    fn from(error: BookingError) -> Self {
        match error {
            BookingError::Denied(denied) => Self::denied(
                denied,
                "Only this series' organizers can see and change its registrations.",
            ),
            // A registration is found only through its session and its secret: a wrong one
            // is as absent as one that never existed.
            BookingError::NotFound => Self::NotFound,
            BookingError::Closed
            | BookingError::SessionCancelled
            | BookingError::AlreadyRegistered(_) => Self::Refused(error.to_string().into()),
            BookingError::Refused(message) => Self::Refused(message.into()),
            BookingError::Invalid(_) => Self::BadRequest(FORM_REFUSED),
            BookingError::Busy => Self::Busy,
            // Without the session at hand, the clock is UTC's.
            BookingError::TooMany(too_many) => {
                Self::LimitReached(crate::too_many_words(&too_many, &jiff::tz::TimeZone::UTC))
            }
            BookingError::Internal(error) => error.into(),
        }
    }
}

impl From<InviteError> for AppError {
    fn from(error: InviteError) -> Self {
        match error {
            InviteError::Series(error) => error.into(),
            InviteError::Invalid => Self::NotFound,
            InviteError::Expired
            | InviteError::Used
            | InviteError::Revoked
            | InviteError::AlreadyOrganizer(_) => Self::Refused(error.to_string().into()),
            InviteError::ForSomeoneElse { .. } => Self::Forbidden(
                "This invite is for another address. Sign out and sign in with the address it was sent to.",
            ),
        }
    }
}

impl From<UploadError> for AppError {
    fn from(error: UploadError) -> Self {
        match error {
            UploadError::Series(error) => error.into(),
            UploadError::Photo(error) => error.into(),
            UploadError::Missing => Self::Refused(error.to_string().into()),
        }
    }
}

impl From<PhotoError> for AppError {
    fn from(error: PhotoError) -> Self {
        Self::Refused(error.to_string().into())
    }
}

impl From<AccountError> for AppError {
    fn from(error: AccountError) -> Self {
        match error {
            AccountError::Denied(denied) => {
                Self::denied(denied, "Only Jamie's administrators can do this.")
            }
            AccountError::NotFound => Self::NotFound,
            AccountError::CannotBlockSelf
            | AccountError::NotConfirmed
            | AccountError::NotRecent(_)
            | AccountError::ReasonRequired
            | AccountError::OwnsUpcomingSessions => Self::Refused(error.to_string().into()),
            AccountError::Internal(error) => error.into(),
        }
    }
}

impl From<DeliveriesError> for AppError {
    fn from(error: DeliveriesError) -> Self {
        match error {
            DeliveriesError::Denied(denied) => {
                Self::denied(denied, "Only Jamie's administrators can do this.")
            }
            DeliveriesError::Internal(error) => error.into(),
        }
    }
}

impl From<EmailChangeError> for AppError {
    fn from(error: EmailChangeError) -> Self {
        match error {
            EmailChangeError::Denied(denied) => denied.into(),
            EmailChangeError::Internal(error) => error.into(),
            EmailChangeError::RateLimited => Self::RateLimited(
                "Too many confirmation links were requested. Please wait an hour and try again.",
            ),
            EmailChangeError::LinkInvalid => Self::LinkInvalid {
                heading: "This link cannot change your address",
                explanation: error.to_string().into(),
                again: NextStep {
                    href: "/account",
                    label: "Go to your account",
                },
            },
            EmailChangeError::Unchanged
            | EmailChangeError::Taken
            | EmailChangeError::NotRecent(_) => Self::Refused(error.to_string().into()),
        }
    }
}

impl From<SetPasswordError> for AppError {
    fn from(error: SetPasswordError) -> Self {
        match error {
            SetPasswordError::Denied(denied) => denied.into(),
            SetPasswordError::Internal(error) => error.into(),
            SetPasswordError::Weak(_) => Self::BadRequest(FORM_REFUSED),
            SetPasswordError::NotRecent(error) => Self::Refused(error.to_string().into()),
        }
    }
}

impl From<SignInError> for AppError {
    fn from(error: SignInError) -> Self {
        /// A used or expired sign-in link's way on: ask for a fresh one.
        const NEW_LINK: NextStep = NextStep {
            href: "/login",
            label: "Get a new link",
        };

        /// The heading of every page about a sign-in link that did not work.
        const LINK: &str = "This link cannot sign you in";
        match error {
            SignInError::Internal(error) => error.into(),
            SignInError::Blocked => Self::Forbidden(
                "This account is blocked. Contact the Jamie team if you think this is a mistake.",
            ),
            SignInError::RateLimited => Self::RateLimited(
                "Too many sign-in links were requested. Please wait an hour and try again.",
            ),
            SignInError::ClientPaused { .. } => Self::RateLimited(
                "Too many wrong passwords were tried from your connection this hour. Sign in with an email link instead.",
            ),
            SignInError::PasswordPaused => Self::RateLimited(
                "Password sign-in is paused for 15 minutes after too many attempts. Sign in with an email link instead.",
            ),
            SignInError::LinkExpired => Self::LinkExpired {
                heading: LINK,
                explanation: error.to_string().into(),
                again: NEW_LINK,
            },
            SignInError::LinkInvalid => Self::LinkInvalid {
                heading: LINK,
                explanation: error.to_string().into(),
                again: NEW_LINK,
            },
            SignInError::WrongPassword => Self::Unauthorized(error.to_string().into()),
        }
    }
}
