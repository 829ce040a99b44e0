//! The "Audiobooks" and "Chapters" sections of the Web API reference.

use super::{Endpoint, check_limit, get, get_children, get_one, get_several};
use crate::encode::FormBuilder;
use crate::error::Error;
use crate::id::{AudiobookId, ChapterId};
use crate::message::{Request, Response};
use crate::model::{Audiobook, Chapter};
use crate::url::BaseUrl;

get_one!(
    /// Get an Audiobook: `GET /audiobooks/{id}`, with the first page of its chapters
    /// (audiobooks are sold in a few markets only: others answer 404). Idempotent.
    GetAudiobook, AudiobookId, Audiobook, "/audiobooks/{}", "audiobook"
);
get_children!(
    /// Get Audiobook Chapters: `GET /audiobooks/{id}/chapters`, one page. Idempotent.
    GetAudiobookChapters, AudiobookId, Chapter, "/audiobooks/{}/chapters", "chapters"
);
get_one!(
    /// Get a Chapter: `GET /chapters/{id}`, with its audiobook. Idempotent.
    GetChapter, ChapterId, Chapter, "/chapters/{}", "chapter"
);
get_several!(
    /// Get Several Audiobooks: `GET /audiobooks?ids=…`, up to 50. **Extended-quota apps
    /// only** since February 2026: use [`GetAudiobook`].
    GetSeveralAudiobooks, AudiobookId, Audiobook, "/audiobooks", audiobooks, 50, market
);
get_several!(
    /// Get Several Chapters: `GET /chapters?ids=…`, up to 50. **Extended-quota apps only**
    /// since February 2026: use [`GetChapter`].
    GetSeveralChapters, ChapterId, Chapter, "/chapters", chapters, 50, market
);
