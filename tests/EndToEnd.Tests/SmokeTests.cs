namespace StashMount.EndToEnd.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void AssemblyLoads() => Assert.NotNull(typeof(StashMount.TestSupport.TempDirectory).Assembly);
}
