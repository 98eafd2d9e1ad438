using StashMount.Backends;
using StashMount.Mount.Cli;
using StashMount.Repository;

namespace StashMount.Mount.Tests.Cli;

public sealed class ErrorReporterTests
{
    public static TheoryData<Exception, int> Cases => new()
    {
        { new WrongPasswordException(), 12 },
        { new RepositoryNotFoundException("/x"), 10 },
        { new BackendFileNotFoundException("/x", FileHandle.Config), 10 },
        { new PartialFailureException("2 errors"), 3 },
        { new OperationCanceledException(), 130 },
        { new IntegrityException("pack abc: MAC check failed"), 1 },
        { new AggregateException(new WrongPasswordException()), 12 },
        { new InvalidOperationException("boom"), 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MapsToResticExitCodes(Exception error, int expected) => Assert.Equal(expected, ErrorReporter.ExitCodeOf(error));

    [Fact]
    public void WrongPasswordIsResticsLine()
    {
        var error = new StringWriter();
        var code = ErrorReporter.Report(new WrongPasswordException(), error, debug: false);
        Assert.Equal(12, code);
        Assert.Equal("Fatal: wrong password or no key found" + Environment.NewLine, error.ToString());
    }

    [Fact]
    public void StackTraceOnlyWithDebug()
    {
        Exception thrown;
        try { throw new IntegrityException("line one\nline two"); }
        catch (Exception e) { thrown = e; }
        var quiet = new StringWriter();
        ErrorReporter.Report(thrown, quiet, debug: false);
        Assert.Equal("Fatal: line one line two" + Environment.NewLine, quiet.ToString());
        var loud = new StringWriter();
        ErrorReporter.Report(thrown, loud, debug: true);
        Assert.Contains(" at ", loud.ToString());
    }
}
