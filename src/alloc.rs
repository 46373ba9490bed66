//! The allocator the binary (and the benchmarks that measure it) run with: mimalloc, asked
//! through its plain entry points wherever they give the alignment the layout needs.
//!
//! Extraction makes hundreds of small allocations a release. The `mimalloc` crate's
//! allocator asks for every one of them with `mi_malloc_aligned`, which checks the block it
//! is given for the alignment and was 3% of extraction's instructions beside the allocation
//! itself. Every mimalloc block is at least a word long and aligned to a word, as C's
//! `malloc` must be, so a layout that asks for no more than a word's alignment, and whose
//! size is a multiple of it, is served by `mi_malloc`, `mi_zalloc` and `mi_realloc` (as
//! Rust's own system allocator serves such layouts with `malloc`); other layouts still go
//! through the aligned calls. (The size condition covers the one mimalloc mode that places
//! a block by its size: a debug build's guard pages with `MIMALLOC_GUARDED_PRECISE`, which
//! end the block at a page boundary. Every Rust type's size is a multiple of its alignment,
//! so the condition costs nothing but the test.)

use libmimalloc_sys as mi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// The alignment every mimalloc block has: a word.
const WORD: usize = std::mem::size_of::<usize>();

/// Can the plain calls serve `layout`? (See the module's comment.)
#[inline]
fn plain(layout: Layout) -> bool {
    layout.align() <= WORD && layout.size().is_multiple_of(layout.align())
}

/// mimalloc as the global allocator (`#[global_allocator] static A: Mimalloc = Mimalloc;`).
pub struct Mimalloc;

// SAFETY: every block comes from mimalloc and goes back to it; a layout `plain` refuses is
// passed to the aligned calls, and the rest are served by calls whose blocks are
// word-aligned (and, sized by a multiple of the alignment, aligned where a guard page
// places them). Null is returned, never a dangling pointer, when memory runs out.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: plain calls into mimalloc; the layout's size is not zero (GlobalAlloc's
        // contract) and its alignment is a power of two (Layout's).
        unsafe {
            if plain(layout) {
                mi::mi_malloc(layout.size()).cast()
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        unsafe {
            if plain(layout) {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (GlobalAlloc's contract), so from mimalloc.
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout`, and `new_size` is not zero
        // (GlobalAlloc's contract); the block keeps the layout's alignment.
        unsafe {
            if plain(layout) {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks of every small size and alignment come back aligned as asked, hold what is
    /// written to them, and keep it when they grow.
    #[test]
    fn blocks_are_aligned_as_asked_and_keep_their_contents() {
        let allocator = Mimalloc;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in (1..=200).chain([1000, 5000, 100_000]) {
                let layout = Layout::from_size_align(size, align).expect("a valid layout");
                // SAFETY: a non-zero size; the block is written within its size, grown with
                // the layout it was made with, and freed once.
                unsafe {
                    let block = allocator.alloc(layout);
                    assert!(!block.is_null());
                    assert_eq!(block as usize % align, 0, "size {size}, align {align}");
                    for i in 0..size {
                        block.add(i).write(i as u8);
                    }
                    let grown = allocator.realloc(block, layout, size * 3);
                    assert!(!grown.is_null());
                    assert_eq!(grown as usize % align, 0, "grown {size}, align {align}");
                    for i in 0..size {
                        assert_eq!(grown.add(i).read(), i as u8);
                    }
                    allocator.dealloc(grown, Layout::from_size_align_unchecked(size * 3, align));
                    let zeroed = allocator.alloc_zeroed(layout);
                    assert!(!zeroed.is_null());
                    assert_eq!(zeroed as usize % align, 0);
                    assert!((0..size).all(|i| zeroed.add(i).read() == 0));
                    allocator.dealloc(zeroed, layout);
                }
            }
        }
    }
}
