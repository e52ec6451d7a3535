using Wasmlet;

namespace Wasmlet.Tests {
    static class QueryStringTest {
        [Test] static void FirstMatchWins() {
            Check.Equal("1", QueryString.Param("a=1&b=2&a=3", "a"));
            Check.Equal("2", QueryString.Param("a=1&b=2&a=3", "b"));
        }

        [Test] static void AbsentIsNullBareKeyIsEmpty() {
            Check.Equal(null, QueryString.Param("a=1", "b"));
            Check.Equal(null, QueryString.Param("", "a"));
            Check.Equal(null, QueryString.Param(null, "a"));
            Check.Equal("", QueryString.Param("flag&x=1", "flag"));
            Check.Equal("", QueryString.Param("name=", "name"));
            Check.Equal("1", QueryString.Param("&&x=1&", "x"));
        }

        [Test] static void PlusIsSpacePercentIsAByte() {
            Check.Equal("Ada L", QueryString.Param("name=Ada+L", "name"));
            Check.Equal("a&b=c", QueryString.Param("v=a%26b%3Dc", "v"));
            Check.Equal("a+b", QueryString.Param("v=a%2Bb", "v"));
            Check.Equal("=x", QueryString.Param("v==x", "v"), "only the first = splits:");
        }

        [Test] static void KeysAreDecodedToo() {
            Check.Equal("1", QueryString.Param("first+name=1", "first name"));
            Check.Equal("2", QueryString.Param("%6Eame=2", "name"));
        }

        [Test] static void Utf8() {
            Check.Equal("Zoë", QueryString.Param("n=Zo%C3%AB", "n"));
            Check.Equal("Zoë", QueryString.Param("n=Zoë", "n"), "raw non-ASCII:");
            Check.Equal("\u00e9\ud83d\ude00", QueryString.Decode("%c3%A9%F0%9F%98%80"));
        }

        [Test] static void MalformedEscapesAreKept() {
            Check.Equal("100%", QueryString.Decode("100%"));
            Check.Equal("%zz%4", QueryString.Decode("%zz%4"));
            Check.Equal("%%41", QueryString.Decode("%%2541"));
            Check.Equal("%A", QueryString.Decode("%%41"));
        }

        [Test] static void InvalidUtf8BecomesReplacementCharacter() {
            Check.Equal("a\ufffdb", QueryString.Decode("a%FFb"));
        }
    }
}
