using System.Management.Automation;
using PartnerCenterUsage.Runner;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Hostile;

/// <summary>What a run wrote, and the terminating error that stopped it, if one did.</summary>
public sealed class HostileRun(PipelineResult result, ErrorRecord? terminating)
{
    public PipelineResult Result { get; } = result;

    public IReadOnlyList<PSObject> Output { get; } = result.Output.Where(o => o?.Properties["HostileRunTerminating"] is null).ToList();

    public ErrorRecord? Terminating { get; } = terminating;

    /// <summary>Every error of the run, the terminating one last.</summary>
    public IReadOnlyList<ErrorRecord> Errors { get; } = terminating is null ? result.Errors : [.. result.Errors, terminating];

    public IReadOnlyList<string> Warnings => Result.Warnings;

    /// <summary>The ErrorIds of <see cref="Errors"/> (what precedes the comma of the fully qualified id).</summary>
    public IReadOnlyList<string> ErrorIds => Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).ToList();

    /// <summary>Everything a user could see: output, errors with their advice, every stream.</summary>
    public string VisibleText => new[] { Result }.VisibleText() + (Terminating is null ? string.Empty : Terminating + " " + Terminating.Exception + " " + Terminating.ErrorDetails?.RecommendedAction);
}
