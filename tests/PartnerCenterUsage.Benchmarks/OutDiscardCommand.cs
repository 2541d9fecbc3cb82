using System.Management.Automation;

namespace PartnerCenterUsage.Benchmarks;

/// <summary>
/// A sink that does nothing with each row: the pipeline's own cost (binding each row to a compiled cmdlet), without the
/// report. Out-Null will not do: PowerShell 7 runs <c>$rows | Out-Null</c> without enumerating the rows at all (0.00 s for
/// 100,000 of them).
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
