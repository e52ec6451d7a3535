// What becomes of one message of a batch: queue-handler's message-result variant.
using System;

namespace Wasmlet {
    /// <summary>The variant tag of message-result, in the contract's order.</summary>
    public enum MessageResultKind { Ok = 0, Retry = 1, Fail = 2 }

    /// <summary>
    /// The outcome of one message: MessageResult.Ok, Retry(), Retry(delayMs) or Fail(reason).
    /// Results compare by value, which makes handlers easy to test.
    /// </summary>
    /// <example><code>
    /// if (busy) return MessageResult.Retry(5000);          // again in 5 s
    /// if (bad) return MessageResult.Fail("not an order");  // the dead-letter queue, now
    /// return MessageResult.Ok;
    /// </code></example>
    public sealed class MessageResult : IEquatable<MessageResult> {
        /// <summary>Done: the message is deleted.</summary>
        public static readonly MessageResult Ok = new MessageResult(MessageResultKind.Ok, null, null);

        public readonly MessageResultKind Kind;
        /// <summary>For Retry: the delay in milliseconds, or null for the trigger's backoff.</summary>
        public readonly int? DelayMs;
        /// <summary>For Fail: why.</summary>
        public readonly string Reason;

        MessageResult(MessageResultKind kind, int? delayMs, string reason) {
            Kind = kind;
            DelayMs = delayMs;
            Reason = reason;
        }

        /// <summary>Deliver again after the trigger's backoff; after max_attempts deliveries the dead-letter queue instead.</summary>
        public static MessageResult Retry() { return new MessageResult(MessageResultKind.Retry, null, null); }

        /// <summary>Deliver again after `delayMs` milliseconds (0: as soon as possible).</summary>
        public static MessageResult Retry(int delayMs) {
            if (delayMs < 0) throw new ArgumentOutOfRangeException("delayMs", delayMs, "a retry delay is at least 0 ms");
            return new MessageResult(MessageResultKind.Retry, delayMs, null);
        }

        /// <summary>A permanent failure: the message goes to the dead-letter queue now, with `reason`.</summary>
        public static MessageResult Fail(string reason) { return new MessageResult(MessageResultKind.Fail, null, reason ?? ""); }

        public bool Equals(MessageResult other) {
            return other != null && Kind == other.Kind && DelayMs == other.DelayMs && Reason == other.Reason;
        }
        public override bool Equals(object other) { return Equals(other as MessageResult); }
        public override int GetHashCode() { return (int)Kind ^ (DelayMs ?? -1) ^ (Reason ?? "").GetHashCode(); }

        /// <summary>"ok", "retry", "retry after 500 ms" or "fail: reason", for test failure messages.</summary>
        public override string ToString() {
            if (Kind == MessageResultKind.Fail) return "fail: " + Reason;
            if (Kind == MessageResultKind.Retry) return DelayMs == null ? "retry" : "retry after " + DelayMs + " ms";
            return "ok";
        }
    }
}
