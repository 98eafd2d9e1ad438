using System.Text;
using StashMount.Repository.Trees;

namespace StashMount.Repository.Tests.Trees;

public sealed class GoTimestampTests
{
    [Theory]
    [InlineData("2026-11-22T01:26:31.769119761Z", 1795310791L, 769119761, 0)]
    [InlineData("2023-11-14T23:13:20+01:00", 1700000000L, 0, 60)]
    [InlineData("2023-11-14T23:13:20.5+01:00", 1700000000L, 500000000, 60)]
    [InlineData("2015-11-10T22:09:48.754006018+01:00", 1447189788L, 754006018, 60)]
    [InlineData("1969-12-31T23:59:59.000000001Z", -1L, 1, 0)]
    [InlineData("2020-02-29T12:00:00-05:30", 1582997400L, 0, -330)]
    [InlineData("0001-01-01T00:00:00Z", -62135596800L, 0, 0)]
    [InlineData("0000-01-01T00:00:00Z", -62167219200L, 0, 0)]
    [InlineData("9999-12-31T23:59:59.999999999Z", 253402300799L, 999999999, 0)]
    public void ParsesAndFormatsGoTimes(string text, long seconds, int nanos, int offset)
    {
        var value = GoTimestamp.Parse(text);
        Assert.Equal(new GoTimestamp(seconds, nanos, offset), value);
        Assert.Equal(text, value.ToString());
    }

    [Fact]
    public void MatchesDateTimeOffset()
    {
        var value = GoTimestamp.Parse("2023-11-14T23:13:20.1234567+01:00");
        Assert.Equal(new DateTimeOffset(2023, 11, 14, 23, 13, 20, TimeSpan.FromHours(1)).AddTicks(1234567), value.ToDateTimeOffset());
        Assert.Equal(GoTimestamp.Zero, GoTimestamp.Parse("0001-01-01T00:00:00Z"));
    }

    [Fact]
    public void NormalisesFractionsLikeGo()
    {
        Assert.Equal("2023-11-14T22:13:20.1Z", GoTimestamp.Parse("2023-11-14T22:13:20.100Z").ToString());
        Assert.Equal("2023-11-14T22:13:20Z", GoTimestamp.Parse("2023-11-14T22:13:20.000Z").ToString());
        Assert.Equal("2023-11-14T22:13:20.123456789Z", GoTimestamp.Parse("2023-11-14T22:13:20.1234567891Z").ToString());
        Assert.Equal("2023-11-14T22:13:20Z", GoTimestamp.Parse("2023-11-14T22:13:20+00:00").ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("2023-11-14 22:13:20Z")]
    [InlineData("2023-11-14T22:13:20")]
    [InlineData("2023-13-14T22:13:20Z")]
    [InlineData("2023-02-29T22:13:20Z")]
    [InlineData("2023-11-14T24:13:20Z")]
    [InlineData("2023-11-14T22:13:20.Z")]
    [InlineData("2023-11-14T22:13:20+0100")]
    [InlineData("2023-11-14T22:13:20+01:00x")]
    [InlineData("+2023-11-14T22:13:20Z")]
    public void RejectsInvalidTimes(string text) =>
        Assert.False(GoTimestamp.TryParse(Encoding.UTF8.GetBytes(text), out _));
}
