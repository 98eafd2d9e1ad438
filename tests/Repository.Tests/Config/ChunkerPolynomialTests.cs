using StashMount.Repository.Config;

namespace StashMount.Repository.Tests.Config;

public sealed class ChunkerPolynomialTests
{
    [Theory]
    [InlineData(0x3DA3358B4DC173UL)]
    [InlineData(0x2482734CACCA49UL)]
    [InlineData(0x3ea4a5493695ddUL)]
    public void KnownIrreducible(ulong p) => Assert.True(ChunkerPolynomial.IsIrreducible(p));

    [Theory]
    [InlineData(0x38F1E565E288DFUL)]
    [InlineData(0x30A8295B9D5C91UL)]
    [InlineData(0x255F4350B962CBUL)]
    [InlineData(0x267F776110A235UL)]
    [InlineData(0x2F4DAE10D41227UL)]
    [InlineData(0x312DAF4B284899UL)]
    [InlineData(0x29DFB6553D01D1UL)]
    [InlineData(0x3548245EB26257UL)]
    [InlineData(0x3199E7EF4211B3UL)]
    [InlineData(0x362F39017DAE8BUL)]
    [InlineData(0x200D57AA6FDACBUL)]
    [InlineData(0x35E0A4EFA1D275UL)]
    [InlineData(0x2CED55B026577FUL)]
    [InlineData(0x260B012010893DUL)]
    [InlineData(0x2DF29CBCD59E9DUL)]
    [InlineData(0x3F2AC7488BD429UL)]
    [InlineData(0x3E5CB1711669FBUL)]
    [InlineData(0x226D8DE57A9959UL)]
    [InlineData(0x3C8DE80AAF5835UL)]
    [InlineData(0x2026A59EFB219BUL)]
    [InlineData(0x39DFA4D13FB231UL)]
    [InlineData(0x3143D0464B3299UL)]
    public void KnownReducible(ulong p) => Assert.False(ChunkerPolynomial.IsIrreducible(p));

    [Fact]
    public void RandomPolynomialsAreIrreducibleOfDegree53()
    {
        for (var i = 0; i < 5; i++)
        {
            var p = ChunkerPolynomial.CreateRandom();
            Assert.Equal(53, ChunkerPolynomial.DegreeOf(p));
            Assert.True(ChunkerPolynomial.IsIrreducible(p));
        }
    }

    [Fact]
    public void SmallCases()
    {
        Assert.True(ChunkerPolynomial.IsIrreducible(0b111));     // x^2 + x + 1
        Assert.False(ChunkerPolynomial.IsIrreducible(0b101));    // (x + 1)^2
        Assert.True(ChunkerPolynomial.IsIrreducible(0b1011));    // x^3 + x + 1
        Assert.False(ChunkerPolynomial.IsIrreducible(0b10101));  // (x^2 + x + 1)^2
    }
}
