//! The "Shows" and "Episodes" sections of the Web API reference.

use super::{Endpoint, check_limit, get, get_children, get_one, get_several};
use crate::encode::FormBuilder;
use crate::error::Error;
use crate::id::{EpisodeId, ShowId};
use crate::message::{Request, Response};
use crate::model::{Episode, Show};
use crate::url::BaseUrl;

get_one!(
    /// Get Show: `GET /shows/{id}`, with the first page of its episodes. Idempotent.
    GetShow, ShowId, Show, "/shows/{}", "show"
);
get_children!(
    /// Get Show Episodes: `GET /shows/{id}/episodes`, one page. Idempotent.
    GetShowEpisodes, ShowId, Episode, "/shows/{}/episodes", "episodes"
);
get_one!(
    /// Get Episode: `GET /episodes/{id}`, with its show. Idempotent.
    GetEpisode, EpisodeId, Episode, "/episodes/{}", "episode"
);
get_several!(
    /// Get Several Shows: `GET /shows?ids=…`, up to 50. **Extended-quota apps only** since
    /// February 2026 (development-mode apps get 403): use [`GetShow`].
    GetSeveralShows, ShowId, Show, "/shows", shows, 50, market
);
get_several!(
    /// Get Several Episodes: `GET /episodes?ids=…`, up to 50. **Extended-quota apps only**
    /// since February 2026: use [`GetEpisode`].
    GetSeveralEpisodes, EpisodeId, Episode, "/episodes", episodes, 50, market
);
