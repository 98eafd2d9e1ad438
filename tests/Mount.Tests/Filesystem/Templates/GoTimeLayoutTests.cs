using StashMount.Mount.Filesystem.Templates;

namespace StashMount.Mount.Tests.Filesystem.Templates;

public sealed class GoTimeLayoutTests
{
    // 2021-03-04 17:08:09.120 in UTC+02:00, i.e. 15:08:09.12 UTC on a Thursday (day 63 of the year).
    private static readonly DateTimeOffset Time = new DateTimeOffset(2021, 3, 4, 17, 8, 9, TimeSpan.FromHours(2)).AddMilliseconds(120);

    [Theory]
    [InlineData(GoTimeLayout.Rfc3339, "2021-03-04T15:08:09Z")]
    [InlineData("2006-01-02_15-04-05", "2021-03-04_15-08-09")]
    [InlineData("2006/01/02", "2021/03/04")]
    [InlineData("Mon Jan _2 15:04:05 MST 2006", "Thu Mar  4 15:08:09 UTC 2021")]
    [InlineData("Monday, 2 January 06", "Thursday, 4 March 21")]
    [InlineData("3:4:5 PM pm", "3:8:9 PM pm")]
    [InlineData("03h", "03h")]
    [InlineData("-0700 -07:00 -07 Z0700", "+0000 +00:00 +00 Z")]
    [InlineData("15:04:05.000", "15:08:09.120")]
    [InlineData("15:04:05.999", "15:08:09.12")]
    [InlineData("05,000000000", "09,120000000")]
    [InlineData("002 __2", "063  63")]
    [InlineData("_2006", "_2021")]
    [InlineData("x.0001y", "x.0003y")] // ".000" followed by a digit is no fraction; "01" is then the month
    [InlineData("backup-%", "backup-%")]
    public void FormatsLikeGo(string layout, string expected) => Assert.Equal(expected, GoTimeLayout.Format(Time, layout));

    [Fact]
    public void TrimmedFractionOfAWholeSecondDisappears() =>
        Assert.Equal("15:08:09", GoTimeLayout.Format(new DateTimeOffset(2021, 3, 4, 15, 8, 9, TimeSpan.Zero), "15:04:05.999"));

    [Fact]
    public void NoonAndMidnightAreTwelve()
    {
        Assert.Equal("12 AM", GoTimeLayout.Format(new DateTimeOffset(2021, 3, 4, 0, 0, 0, TimeSpan.Zero), "3 PM"));
        Assert.Equal("12 PM", GoTimeLayout.Format(new DateTimeOffset(2021, 3, 4, 12, 0, 0, TimeSpan.Zero), "03 PM"));
    }
}
