using System.Management.Automation;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Runner;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// The cmdlets' field-name parameters against the engine's fields of their report, read from the parameter metadata
/// of the module as Import-Module loads it from out/: -GroupBy's ValidateSet (an attribute takes constants only, so it
/// cannot be made from the engine's list) and the filter parameters, found by the engine's field names.
/// </summary>
public sealed class CommercialFieldParametersTests : IDisposable
{
    // The parameters of these cmdlets that name no field.
    private static readonly HashSet<string> NotFields = new(StringComparer.OrdinalIgnoreCase) { "Filter", "GroupBy", "ProcessedDateTime" };

    private readonly HostedPowerShell _shell = new();

    public static TheoryData<string, CommercialReport> Cmdlets => new()
    {
        { "Get-PCLicenseUsage", CommercialReport.Usage },
        { "Get-PCLicenseDeployment", CommercialReport.Deployment },
    };

    public void Dispose() => _shell.Dispose();

    private Dictionary<string, ParameterMetadata> Parameters(string cmdlet) =>
        ((CommandInfo)_shell.Invoke("Get-Command $args[0]", cmdlet).Objects.Single()).Parameters
            .Where(p => !Cmdlet.CommonParameters.Contains(p.Key) && !Cmdlet.OptionalCommonParameters.Contains(p.Key))
            .ToDictionary(p => p.Key, p => p.Value);

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void GroupBy_accepts_exactly_the_fields_the_engine_groups_that_report_on(string cmdlet, CommercialReport report)
    {
        var validateSet = Parameters(cmdlet)["GroupBy"].Attributes.OfType<ValidateSetAttribute>().Single();

        Assert.Equal(new CommercialPlan(report).GroupFields.Select(f => f.ToString()), validateSet.ValidValues);
        Assert.True(validateSet.IgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void There_is_a_filter_parameter_for_each_field_the_engine_filters_that_report_on_and_no_other(string cmdlet, CommercialReport report)
    {
        var parameters = Parameters(cmdlet);
        var fields = new CommercialPlan(report).FilterFields.Select(f => f.ToString()).ToList();

        Assert.Equal(fields.Order(), parameters.Keys.Where(p => !NotFields.Contains(p)).Order());
        Assert.Equal(typeof(Guid[]), parameters[nameof(CommercialField.CustomerId)].ParameterType);
        Assert.All(fields.Where(f => f != nameof(CommercialField.CustomerId)), f => Assert.Equal(typeof(string[]), parameters[f].ParameterType));
    }
}
