namespace StashMount.Repository.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void AssemblyLoads() => Assert.NotNull(typeof(StashMount.TestSupport.TempDirectory).Assembly);
}
