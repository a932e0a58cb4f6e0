//! # search-wasm
//!
//! The browser engine: search-core compiled to `wasm32-unknown-unknown`, with a hand-written C ABI
//! (no wasm-bindgen, to stay tiny). Strings and files cross the boundary as pointer + length into the
//! module's memory; answers are left in an output buffer read with `out_ptr`/`out_len`.
//!
//! From JavaScript (see the generated `search.js`):
//! ```text
//! p = alloc(n); copy bytes to memory[p..p+n]      // every input buffer; free with dealloc(p, n)
//! h = engine_new(p, n)                            // manifest bytes → handle > 0, or < 0 (message in out)
//! engine_add(h, name_p, name_n, data_p, data_n)   // a fetched file → 0, or < 0 (message in out)
//! engine_search(h, q_p, q_n, limit, type_p, type_n, cat_p, cat_n)
//!     → 0: out = results JSON {total, results:[{url,title,excerpt,score}]}
//!     → 1: out = names of the files still needed, one per line (fetch, engine_add, search again)
//!     → < 0: out = error message
//! engine_files(h)                                 // out = every file of the language, one per line
//! engine_free(h)
//! ```
//! Error codes: -1 bad argument, -2 truncated, -3 bad magic, -4 checksum, -5 corrupt, -6 unknown file, -7 not loaded,
//! -8 a manifest of a language this engine has no stemmer for.
//!
//! One engine is built per analyzer (cargo feature `de`, `en`, `fr`, `ar` or `fa`), each with only its
//! own Snowball stemmer.

#![no_std]

extern crate alloc;

use alloc::vec::Vec;
use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use search_core::{Engine, Error, Options, Step};

/// A tiny allocator (dlmalloc would be a fifth of the module): blocks of power-of-two sizes, freed blocks
/// kept in one free list per size and reused; new blocks are cut from memory grown page by page.
struct Pow2Alloc;

struct Heap {
    free: [usize; 40],
    next: usize,
    end: usize,
}

struct HeapCell(UnsafeCell<Heap>);
unsafe impl Sync for HeapCell {}
static HEAP: HeapCell = HeapCell(UnsafeCell::new(Heap { free: [0; 40], next: 0, end: 0 }));

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: Pow2Alloc = Pow2Alloc;

fn class(layout: Layout) -> (usize, usize) {
    let size = layout.size().max(layout.align()).max(8).next_power_of_two();
    (size.trailing_zeros() as usize, size)
}

unsafe impl GlobalAlloc for Pow2Alloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: single-threaded
        let h = unsafe { &mut *HEAP.0.get() };
        let (c, size) = class(layout);
        if c >= 40 {
            return core::ptr::null_mut();
        }
        if layout.align() <= 16 && h.free[c] != 0 {
            let p = h.free[c];
            h.free[c] = unsafe { *(p as *const usize) };
            return p as *mut u8;
        }
        let align = layout.align().max(16).min(size);
        let start = (h.next + align - 1) & !(align - 1);
        let Some(end) = start.checked_add(size) else { return core::ptr::null_mut() };
        if end > h.end || h.end == 0 {
            #[cfg(target_arch = "wasm32")]
            {
                let pages = (size + align + 65535) / 65536;
                let old = core::arch::wasm32::memory_grow(0, pages);
                if old == usize::MAX {
                    return core::ptr::null_mut();
                }
                let base = old * 65536;
                if base != h.end {
                    h.next = base;
                }
                h.end = base + pages * 65536;
                return unsafe { self.alloc(layout) };
            }
            #[cfg(not(target_arch = "wasm32"))]
            return core::ptr::null_mut();
        }
        h.next = end;
        start as *mut u8
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        let h = unsafe { &mut *HEAP.0.get() };
        let (c, _) = class(layout);
        if layout.align() <= 16 {
            unsafe { *(p as *mut usize) = h.free[c] };
            h.free[c] = p as usize;
        }
    }
}

struct State {
    engines: Vec<Option<Engine>>,
    out: Vec<u8>,
}

struct Global(UnsafeCell<State>);
// wasm32-unknown-unknown is single-threaded.
unsafe impl Sync for Global {}
static STATE: Global = Global(UnsafeCell::new(State { engines: Vec::new(), out: Vec::new() }));

fn state() -> &'static mut State {
    // SAFETY: single-threaded, and no export holds the reference across a call to another export.
    unsafe { &mut *STATE.0.get() }
}

fn set_out(s: &[u8]) {
    let st = state();
    st.out.clear();
    st.out.extend_from_slice(s);
}

fn fail(e: Error) -> i32 {
    set_out(e.message().as_bytes());
    -(match e {
        Error::Truncated => 2,
        Error::BadMagic => 3,
        Error::Checksum => 4,
        Error::Corrupt => 5,
        Error::UnknownFile => 6,
        Error::NotLoaded => 7,
        Error::WrongEngine => 8,
    })
}

fn bad_arg() -> i32 {
    set_out(b"invalid argument");
    -1
}

unsafe fn bytes<'a>(p: *const u8, n: usize) -> &'a [u8] {
    if n == 0 { &[] } else { unsafe { core::slice::from_raw_parts(p, n) } }
}

unsafe fn text<'a>(p: *const u8, n: usize) -> Option<&'a str> {
    core::str::from_utf8(unsafe { bytes(p, n) }).ok()
}

fn engine(h: i32) -> Option<&'static mut Engine> {
    state().engines.get_mut((h as usize).wrapping_sub(1))?.as_mut()
}

#[unsafe(no_mangle)]
pub extern "C" fn alloc(n: usize) -> *mut u8 {
    let mut v = Vec::<u8>::with_capacity(n.max(1));
    let p = v.as_mut_ptr();
    core::mem::forget(v);
    p
}

/// # Safety
/// `p` and `n` must come from `alloc(n)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dealloc(p: *mut u8, n: usize) {
    drop(unsafe { Vec::from_raw_parts(p, 0, n.max(1)) });
}

#[unsafe(no_mangle)]
pub extern "C" fn out_ptr() -> *const u8 {
    state().out.as_ptr()
}

#[unsafe(no_mangle)]
pub extern "C" fn out_len() -> usize {
    state().out.len()
}

/// # Safety
/// `p..p+n` must be readable memory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn engine_new(p: *const u8, n: usize) -> i32 {
    match Engine::new(unsafe { bytes(p, n) }) {
        Ok(e) => {
            let st = state();
            st.engines.push(Some(e));
            st.engines.len() as i32
        }
        Err(e) => fail(e),
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn engine_free(h: i32) {
    if let Some(slot) = state().engines.get_mut((h as usize).wrapping_sub(1)) {
        *slot = None;
    }
}

/// # Safety
/// The pointers must point to readable memory of the given lengths.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn engine_add(h: i32, np: *const u8, nn: usize, dp: *const u8, dn: usize) -> i32 {
    let (Some(e), Some(name)) = (engine(h), unsafe { text(np, nn) }) else { return bad_arg() };
    match e.add_file(name, unsafe { bytes(dp, dn) }) {
        Ok(()) => 0,
        Err(e) => fail(e),
    }
}

/// # Safety
/// The pointers must point to readable memory of the given lengths.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn engine_search(
    h: i32,
    qp: *const u8,
    qn: usize,
    limit: u32,
    tp: *const u8,
    tn: usize,
    cp: *const u8,
    cn: usize,
) -> i32 {
    let (Some(e), Some(q), Some(kind), Some(cat)) =
        (engine(h), unsafe { text(qp, qn) }, unsafe { text(tp, tn) }, unsafe { text(cp, cn) })
    else {
        return bad_arg();
    };
    let opts = Options {
        limit: limit as usize,
        kind: (!kind.is_empty()).then_some(kind),
        category: (!cat.is_empty()).then_some(cat),
    };
    match e.search(q, &opts) {
        Step::Done(r) => {
            set_out(r.to_json().as_bytes());
            0
        }
        Step::Need(files) => {
            set_out(files.join("\n").as_bytes());
            1
        }
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn engine_files(h: i32) -> i32 {
    let Some(e) = engine(h) else { return bad_arg() };
    set_out(e.all_files().join("\n").as_bytes());
    0
}

/// A panic (a bug: every input error is an `Err`) stops the module with a trap, which search.js reports
/// like any other engine failure. Without std's handler the module carries no panic message formatting,
/// a few KB of the download.
#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
