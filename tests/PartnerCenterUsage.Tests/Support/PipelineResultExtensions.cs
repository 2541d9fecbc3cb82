namespace PartnerCenterUsage.Tests.Support;

public static class PipelineResultExtensions
{
    /// <summary>
    /// Everything a user could see of the runs: each output object and its properties, every error with its
    /// exception and advice, and the Verbose, Debug, Warning and Information streams.
    /// </summary>
    public static string VisibleText(this IEnumerable<PartnerCenterUsage.Runner.PipelineResult> runs)
    {
        var seen = new System.Text.StringBuilder();
        foreach (var run in runs)
        {
            foreach (var value in run.Output)
            {
                seen.AppendLine(value.ToString());
                foreach (var property in value.Properties)
                {
                    seen.AppendLine(property.Value?.ToString());
                }
            }

            foreach (var error in run.Errors)
            {
                seen.AppendLine(error.ToString()).AppendLine(error.Exception.ToString()).AppendLine(error.ErrorDetails?.RecommendedAction);
            }

            seen.AppendJoin('\n', run.Verbose).AppendJoin('\n', run.Debug).AppendJoin('\n', run.Warnings).AppendJoin('\n', run.Information);
        }

        return seen.ToString();
    }
}
