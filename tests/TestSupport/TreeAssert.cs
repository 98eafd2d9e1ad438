namespace StashMount.TestSupport;

/// <summary>Compares two <see cref="TreeCapture"/> results and, on a difference, names the lines only one side has.</summary>
public static class TreeAssert
{
    public static void Equal(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var missing = expected.Except(actual).Take(15).ToList();
        var extra = actual.Except(expected).Take(15).ToList();
        if (missing.Count == 0 && extra.Count == 0 && expected.Count == actual.Count)
            return;
        throw new Xunit.Sdk.XunitException(
            $"trees differ ({expected.Count} expected entries, {actual.Count} actual)\nonly expected:\n  {string.Join("\n  ", missing)}\nonly actual:\n  {string.Join("\n  ", extra)}");
    }
}
