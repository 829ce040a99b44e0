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
