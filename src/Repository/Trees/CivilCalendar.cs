namespace StashMount.Repository.Trees;

/// <summary>
/// Proleptic Gregorian date arithmetic on day numbers (days since 1970-01-01), valid for year 0 too, which
/// Go times may hold but <see cref="DateTime"/> cannot. The era-based formulas are H. Hinnant's public-domain
/// algorithms for days-from-civil and civil-from-days.
/// </summary>
internal static class CivilCalendar
{
    public static long DaysFromCivil(long year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        var era = (year >= 0 ? year : year - 399) / 400;
        var yearOfEra = year - era * 400;
        var dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        var dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra - 719468;
    }

    public static (long Year, int Month, int Day) CivilFromDays(long days)
    {
        days += 719468;
        var era = (days >= 0 ? days : days - 146096) / 146097;
        var dayOfEra = days - era * 146097;
        var yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        var dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        var mp = (5 * dayOfYear + 2) / 153;
        var day = (int)(dayOfYear - (153 * mp + 2) / 5 + 1);
        var month = (int)(mp < 10 ? mp + 3 : mp - 9);
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day);
    }

    public static int DaysInMonth(long year, int month) => month switch
    {
        2 => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };
}
