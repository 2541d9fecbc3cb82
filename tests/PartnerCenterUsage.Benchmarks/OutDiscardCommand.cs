using System.Management.Automation;

namespace PartnerCenterUsage.Benchmarks;

/// <summary>
/// A sink that does nothing with each row: the pipeline's own cost (binding each row to a compiled cmdlet), without the
/// report. Out-Null will not do: PowerShell 7 compiles <c>$rows | Out-Null</c> to no pipeline at all.
/// </summary>
[Cmdlet(VerbsData.Out, "Discard")]
public sealed class OutDiscardCommand : PSCmdlet
{
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>The rows received since the counter was last read.</summary>
    public static long Received { get; set; }

    protected override void ProcessRecord() => Received++;
}
