using System.Management.Automation;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>
/// A pipeline stage that passes its input on and says when the pipeline is stopped: PowerShell calls StopProcessing on
/// the commands of a pipeline in order, first to last, so once this stage, put last, is told, every command before it
/// has been told too. A test that stops a pipeline at a moment of its choosing (a progress record) waits for
/// <see cref="Stopped"/> before it lets the pipeline go on, and so knows the stop is under way, without a race.
/// Imported into a hosted runspace with <c>Import-Module -Assembly</c>.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "PipelineStop")]
public sealed class WatchPipelineStopCommand : Cmdlet
{
    /// <summary>Set when the pipeline is stopped.</summary>
    [Parameter(Mandatory = true)]
    public ManualResetEventSlim Stopped { get; set; } = null!;

    /// <summary>What passes through.</summary>
    [Parameter(ValueFromPipeline = true)]
    public object? InputObject { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => WriteObject(InputObject);

    /// <inheritdoc/>
    protected override void StopProcessing() => Stopped.Set();
}
