package queue

import "testing"

func TestResultsCompareAndPrint(t *testing.T) {
	cases := map[string]Result{
		"ok":                 Ok(),
		"retry":              Retry(),
		"retry after 0 ms":   RetryAfter(0),
		"retry after 250 ms": RetryAfter(250),
		"fail: bad json":     Fail("bad json"),
	}
	for want, r := range cases {
		if r.String() != want {
			t.Errorf("String() = %q, want %q", r, want)
		}
	}
	if (Result{}) != Ok() || Retry() == RetryAfter(0) || Fail("a") == Fail("b") {
		t.Error("== tells results apart")
	}
}
