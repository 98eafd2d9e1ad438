using System.Text;
using StashMount.Repository.Json;

namespace StashMount.Repository.Tests.Json;

public sealed class GoQuoteTests
{
    // Raw name bytes (hex) and restic 0.14's quoting of them (restic-format.md §5.5).
    [Theory]
    [InlineData("6126623c633e", "a&b<c>")]
    [InlineData("6261636b5c736c617368", @"back\\slash")]
    [InlineData("71756f227465", "quo\\\"te")]
    [InlineData("74616209686572 65", @"tab\there")]
    [InlineData("63746c017f", @"ctl\x01\x7f")]
    [InlineData("696e76fffe75746638", @"inv\xff\xfeutf8")]
    [InlineData("6c696e65e280a8736570", @"line\u2028sep")]
    [InlineData("c3a42dc3bcc3b1e282ac", "ä-üñ€")]
    [InlineData("656d6f6a69f09f9880", "emoji😀")]
    [InlineData("c2a0", @"\u00a0")]
    [InlineData("eda080", @"\xed\xa0\x80")]
    [InlineData("f3a08081", @"\U000e0001")]
    [InlineData("070b0c0d0a", @"\a\v\f\r\n")]
    public void QuotesAndUnquotesLikeGo(string rawHex, string quoted)
    {
        var raw = Convert.FromHexString(rawHex.Replace(" ", ""));
        Assert.Equal(quoted, GoQuote.Quote(raw));
        Assert.Equal(raw, GoQuote.Unquote(Encoding.UTF8.GetBytes(quoted)));
    }

    [Theory]
    [InlineData(@"\101\x42\u0043", "ABC")]
    [InlineData(@"\""", "\"")]
    public void UnquotesOtherEscapes(string quoted, string expected) =>
        Assert.Equal(Encoding.UTF8.GetBytes(expected), GoQuote.Unquote(Encoding.UTF8.GetBytes(quoted)));

    [Theory]
    [InlineData(@"a\")]
    [InlineData(@"\q")]
    [InlineData(@"\x4")]
    [InlineData(@"\ud800")]
    [InlineData(@"\400")]
    [InlineData("a\"b")]
    [InlineData("a\nb")]
    [InlineData(@"\'")]
    public void RejectsInvalidQuoting(string quoted) => Assert.Null(GoQuote.Unquote(Encoding.UTF8.GetBytes(quoted)));
}
