namespace PartnerCenterUsage.Tests.Support;

/// <summary>One PowerShell example of a cmdlet's page in docs/cmdlets (see <see cref="DocumentedExamples"/>).</summary>
/// <param name="Name">The page and the example's title, "Get-PCCustomer: Example 1: ...", which names the test.</param>
/// <param name="Code">The example's PowerShell, as the help shows it.</param>
/// <param name="NeedsRealTenant">True when the example is marked as needing a real tenant: it is parsed, not run.</param>
public sealed record DocumentedExample(string Name, string Code, bool NeedsRealTenant);
