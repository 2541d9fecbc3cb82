using System.Management.Automation;

namespace PartnerCenterUsage.Benchmarks;

/// <summary>A sink at the end of the pipeline: counts rows per customer and notes when the first arrived.</summary>
[Cmdlet("Measure", "UsageRows")]
public sealed class MeasureUsageRowsCommand : PSCmdlet
{
    private static Tally s_tally = new();

    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    public static Tally Reset() => s_tally = new Tally();

    protected override void ProcessRecord()
    {
        if (InputObject?.Properties["CustomerId"]?.Value is Guid id)
        {
            s_tally.FirstRowAt ??= DateTimeOffset.UtcNow;
            s_tally.Rows[id] = s_tally.Rows.GetValueOrDefault(id) + 1;
            s_tally.Total++;
        }
    }

    public sealed class Tally
    {
        public Dictionary<Guid, int> Rows { get; } = [];

        public long Total { get; set; }

        public DateTimeOffset? FirstRowAt { get; set; }
    }
}
