//! The "Users" section of the Web API reference.

use super::{Endpoint, get};
use crate::encode::FormBuilder;
use crate::error::Error;
use crate::message::{Request, Response};
use crate::model::User;
use crate::response::decode;
use crate::url::BaseUrl;

/// Get Current User's Profile: `GET /me`. Needs a user's token (see
/// [`Session::for_user`](crate::session::Session::for_user)); `user-read-private` and
/// `user-read-email` add fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct GetCurrentUser;

impl GetCurrentUser {
    /// The signed-in user.
    pub fn new() -> Self {
        Self
    }
}

impl Endpoint for GetCurrentUser {
    type Output = User;

    fn request(&self, api: &BaseUrl) -> Request {
        get(api, format_args!("/me"), FormBuilder::default())
    }

    fn parse(&self, response: &Response<'_>) -> Result<User, Error> {
        decode(response, "user")
    }
}

/// Get User's Profile: `GET /users/{user_id}`, a user's public profile. **Extended-quota apps
/// only** since February 2026 (development-mode apps get 403). Idempotent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetUsersProfile {
    user: crate::id::UserId,
}

impl GetUsersProfile {
    /// This user's profile.
    pub fn new(user: crate::id::UserId) -> Self {
        Self { user }
    }
}

impl Endpoint for GetUsersProfile {
    type Output = User;

    fn request(&self, api: &BaseUrl) -> Request {
        let user = crate::encode::path_segment(self.user.as_str());
        get(api, format_args!("/users/{user}"), FormBuilder::default())
    }

    fn parse(&self, response: &Response<'_>) -> Result<User, Error> {
        decode(response, "user")
    }
}
