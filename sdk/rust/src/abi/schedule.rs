//! Canonical-ABI glue for `wasmlet:function/schedule-handler@0.1.0` (layout in
//! sdk/wit/README.md); the export itself is written by `export_schedule!`.

use super::{address, take_string};
use crate::ScheduleEvent;
use std::ptr;

/// Builds the event from `handle`'s parameters (name ptr/len as i32s, the tick
/// as an i64), taking ownership of the name.
///
/// # Safety
/// The arguments must be exactly what the host passed to `handle`.
pub unsafe fn lift_event(name_ptr: *mut u8, name_len: usize, scheduled_at: u64) -> ScheduleEvent {
    ScheduleEvent { name: take_string(name_ptr, name_len), scheduled_at }
}

/// `result<_, string>`: 12 bytes, align 4; tag at 0, err message ptr/len at 4/8.
#[repr(C, align(4))]
struct ResultArea([u32; 3]);

// Single-threaded, and post-return comes before the next call: one of each is enough.
static mut RESULT_AREA: ResultArea = ResultArea([0; 3]);
static mut PENDING: Option<String> = None;

fn words(result: &Result<(), String>) -> [u32; 3] {
    match result {
        Ok(()) => [0, 0, 0],
        Err(message) => [1, address(message.as_ptr()), message.len() as u32],
    }
}

/// Writes the handler's outcome into the result area and returns its address.
///
/// # Safety
/// Call only from the exported `handle`; the area is valid until `post_handle`.
pub unsafe fn lower_result(result: Result<(), String>) -> *mut u8 {
    let area = &mut *ptr::addr_of_mut!(RESULT_AREA);
    area.0 = words(&result);
    // Moving the String does not move its heap buffer, which the area points at.
    *ptr::addr_of_mut!(PENDING) = result.err();
    area as *mut ResultArea as *mut u8
}

/// Post-return: the host has copied the error message out, so free it.
///
/// # Safety
/// Call only from the exported post-return function.
pub unsafe fn post_handle() {
    *ptr::addr_of_mut!(PENDING) = None;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lift_event_takes_the_name_and_keeps_every_bit_of_the_tick() {
        let name: Box<[u8]> = b"nightly"[..].into();
        let event = unsafe { lift_event(Box::into_raw(name) as *mut u8, 7, u64::MAX) };
        assert_eq!(event, ScheduleEvent { name: "nightly".into(), scheduled_at: u64::MAX });
        let unnamed = unsafe { lift_event(1 as *mut u8, 0, 0) }; // an empty name is never allocated
        assert_eq!(unnamed.name, "");
    }

    #[test]
    fn results_follow_the_canonical_layout() {
        assert_eq!(words(&Ok(())), [0, 0, 0]);
        let [tag, _ptr, len] = words(&Err("failing schedule".into()));
        assert_eq!((tag, len), (1, 16));
    }
}
