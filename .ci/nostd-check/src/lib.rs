//! Links `spotify-web-core` (without default features) into a `#![no_std]` library with its own
//! panic handler and allocator. If anything in the core's tree pulls in `std`, this fails to
//! build with a duplicate `panic_impl` lang item.

#![no_std]

extern crate alloc;
extern crate spotify_web_core;

use core::alloc::{GlobalAlloc, Layout};
use core::panic::PanicInfo;

use spotify_web_core::endpoint::{Endpoint, GetArtist};
use spotify_web_core::message::Response;
use spotify_web_core::url::BaseUrl;

/// An allocator that never allocates: the check is about linking, not running.
struct NoAlloc;

// SAFETY: returning null is the documented way to report that an allocation failed.
unsafe impl GlobalAlloc for NoAlloc {
    unsafe fn alloc(&self, _layout: Layout) -> *mut u8 {
        core::ptr::null_mut()
    }

    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}
}

#[global_allocator]
static ALLOCATOR: NoAlloc = NoAlloc;

#[panic_handler]
fn panic(_info: &PanicInfo<'_>) -> ! {
    loop {}
}

/// Uses the core's request builder and parser, so that they are linked in.
#[unsafe(no_mangle)]
pub extern "C" fn artist_name_len(body: *const u8, len: usize) -> usize {
    // SAFETY: the caller passes a valid buffer of `len` bytes.
    let body = unsafe { core::slice::from_raw_parts(body, len) };
    let Ok(id) = "4Z8W4fKeB5YxbusRsdQVPb".parse() else {
        return 0;
    };
    let endpoint = GetArtist::new(id);
    let request = endpoint.request(&BaseUrl::spotify_api());
    match endpoint.parse(&Response::new(200, body)) {
        Ok(artist) => artist.name.len() + request.url().len(),
        Err(_) => 0,
    }
}
