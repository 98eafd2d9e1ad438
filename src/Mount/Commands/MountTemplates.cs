using StashMount.Mount.Cli;

namespace StashMount.Mount.Commands;

/// <summary>The checks restic applies to --time-template before mounting.</summary>
internal static class MountTemplates
{
    public static string? CheckTimeTemplate(string? template) => template switch
    {
        null => null,
        "" => throw new UsageException("time template string cannot be empty"),
        _ when template.StartsWith('/') || template.EndsWith('/') => throw new UsageException("time template string cannot start or end with '/'"),
        _ => template,
    };
}
