namespace PartnerCenterUsage.Tests.Suite;

/// <summary>The Pester suite runs on its own, after the tests that run in parallel.</summary>
[CollectionDefinition(nameof(PesterSuiteTests), DisableParallelization = true)]
public sealed class PesterSuiteRunsAlone;
