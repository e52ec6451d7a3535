using System;
using Wasmlet;

namespace Wasmlet.Tests {
    static class MessageResultTest {
        [Test] static void ResultsCompareByValueAndPrint() {
            Check.Equal(MessageResult.Retry(250), MessageResult.Retry(250));
            Check.True(!MessageResult.Retry().Equals(MessageResult.Retry(0)), "retry(none) is not retry(0)");
            Check.True(!MessageResult.Fail("a").Equals(MessageResult.Fail("b")), "reasons differ");
            Check.Equal("ok", MessageResult.Ok.ToString());
            Check.Equal("retry", MessageResult.Retry().ToString());
            Check.Equal("retry after 0 ms", MessageResult.Retry(0).ToString());
            Check.Equal("fail: bad", MessageResult.Fail("bad").ToString());
            Check.Equal("", MessageResult.Fail(null).Reason);
        }

        [Test] static void ANegativeDelayIsRefused() {
            try {
                MessageResult.Retry(-1);
                throw new AssertionFailed("Retry(-1) was accepted");
            } catch (ArgumentOutOfRangeException) { }
        }
    }
}
