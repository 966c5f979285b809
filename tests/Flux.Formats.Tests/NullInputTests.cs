// Tests that Try* entry points of every RFC format reject null and that misuse is reported as such.
using Flux.Formats;

namespace Flux.Formats.Tests;

public sealed class NullInputTests
{
    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.False(IdSet.TryParse(null, out var set));
        Assert.Null(set);
        Assert.False(Hostlist.TryParse(null, out var hl));
        Assert.Null(hl);
        Assert.False(Fsd.TryParse(null, out _));
        Assert.False(Fluid.TryParse(null, out _));
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => IdSet.Parse(null!));
        Assert.Throws<ArgumentNullException>(() => Hostlist.Parse(null!));
        Assert.Throws<ArgumentNullException>(() => Fsd.Parse(null!));
        Assert.Throws<ArgumentNullException>(() => Fluid.Parse(null!));
        Assert.Throws<ArgumentNullException>(() => Eventlog.Parse(null!));
        Assert.Throws<ArgumentNullException>(() => Jobspec.ParseJson(null!));
        Assert.Throws<ArgumentNullException>(() => JobspecV1.Validate(null!));
        Assert.Throws<ArgumentNullException>(() => Rv1.Parse((string)null!));
    }

    [Fact]
    public void Encode_UnknownFluidEncoding_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Fluid.Encode(1, (FluidEncoding)99));
    }
}
