namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// The keyring scenarios run on their own, after the tests that run in parallel: each starts several pwsh processes,
/// which on a machine of two cores would slow the timing of the sign-in tests beside them.
/// </summary>
[CollectionDefinition(nameof(SavedSignInKeyringTests), DisableParallelization = true)]
public sealed class KeyringScenariosRunAlone;
