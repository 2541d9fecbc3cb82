using System.Collections.Generic;
using System.Management.Automation;

namespace PartnerCenterUsage;

/// <summary>
/// The wildcards of the parameters that take them (Get-PCCustomer -CompanyName and -Domain, the filter parameters of
/// Get-PCLicenseUsage and Get-PCLicenseDeployment): matched as PowerShell matches them, case-insensitively, and checked
/// before anything is asked of Partner Center, so that a pattern PowerShell cannot read ('[abc') is one InvalidWildcard
/// error and no request, rather than a RuntimeException from the first row matched against it.
/// </summary>
internal static class Wildcards
{
    /// <summary>The pattern of <paramref name="value"/>, as every wildcard of the module matches.</summary>
    public static WildcardPattern Pattern(string value) => WildcardPattern.Get(value, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);

    /// <summary>
    /// Stops <paramref name="cmdlet"/> with a terminating InvalidWildcard error when a value of the parameter
    /// <paramref name="parameterName"/> has wildcards that do not make a pattern. Values without wildcards, escaped
    /// ones included ('`[EU`]'), are taken as written and pass.
    /// </summary>
    public static void Require(Cmdlet cmdlet, string parameterName, IEnumerable<string>? values)
    {
        foreach (var value in values ?? [])
        {
            if (!WildcardPattern.ContainsWildcardCharacters(value))
            {
                continue;
            }

            try
            {
                // A pattern is parsed when it first matches: this is where '[abc' would fail on the first row.
                Pattern(value).IsMatch(string.Empty);
            }
            catch (WildcardPatternException e)
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.InvalidWildcard(parameterName, value, e));
            }
        }
    }
}
