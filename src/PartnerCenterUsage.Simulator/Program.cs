using System.Diagnostics;
using System.Globalization;
using PartnerCenterUsage.Simulator;

// Runs the simulator on its own, for trying scripts offline:
//   dotnet run --project src/PartnerCenterUsage.Simulator -- --urls http://127.0.0.1:5980 [--customers 25] [--seed N] [--latency-ms 0] [--token T]
//     [--parent-pid PID]   stop when that process ends (a test suite that starts the simulator cannot leave it behind)
//     [--commercial-paths Both|DocumentedOnly|PartnerPrefixOnly]   the path forms of the commercial analytics that answer
//     [--commercial-page-size N]   the largest page of the commercial analytics (default 10000), to try a client's paging
//     [--history-months N]   the commercial analytics also answer for the N months before the latest processed date,
//         each with data of its own (see MonthlyHistory); 0, the default, the latest date only
//     [--hostile-subscriptions true]   spoil one subscription body of some customers (see SubscriptionQuirk)
//     [--identity-provider true]   also serve an identity provider on loopback HTTPS whose tokens the API accepts, with a
//         partner app and a refresh token for Secure Application Model scripts (a line says where, and the app's test secrets)
// Port 0 picks a free port; the first line written says where the simulator listens.
// GET /simulator/requests answers {"count": n}, the requests received so far.
var config = new ConfigurationBuilder().AddCommandLine(args).Build();
var options = new SimulatorOptions
{
    CustomerCount = int.Parse(config["customers"] ?? "25", CultureInfo.InvariantCulture),
    Seed = int.Parse(config["seed"] ?? "20170309", CultureInfo.InvariantCulture),
    Latency = TimeSpan.FromMilliseconds(int.Parse(config["latency-ms"] ?? "0", CultureInfo.InvariantCulture)),
    CommercialPaths = PathForms(config["commercial-paths"]),
    CommercialMaxPageSize = int.Parse(config["commercial-page-size"] ?? "10000", CultureInfo.InvariantCulture),
    HostileSubscriptions = bool.Parse(config["hostile-subscriptions"] ?? "false"),
    HistoryMonths = int.Parse(config["history-months"] ?? "0", NumberStyles.None, CultureInfo.InvariantCulture),
};
if (config["token"] is { Length: > 0 } token)
{
    options.AcceptedTokens.Clear();
    options.AcceptedTokens.Add(token);
}

// Ctrl+C and SIGTERM stop the host by themselves; this stops it when the parent ends.
using var stop = new CancellationTokenSource();
if (config["parent-pid"] is { Length: > 0 } parentPid)
{
    var parent = Process.GetProcessById(int.Parse(parentPid, CultureInfo.InvariantCulture));
    parent.EnableRaisingEvents = true;
    parent.Exited += (_, _) => stop.Cancel();
    if (parent.HasExited)
    {
        return;
    }
}

await using var idp = bool.Parse(config["identity-provider"] ?? "false") ? await IdentityProviderSimulator.StartAsync() : null;
const string PartnerAppId = "5d8e8b4c-1f2a-4c3b-9d4e-6f7a8b9c0d1e";
var appSecret = "app-secret-" + Guid.NewGuid().ToString("N");
if (idp is not null)
{
    idp.RegisterConfidentialClient(PartnerAppId, appSecret);
    options.IdentityProvider = idp;
}

await using var simulator = await PartnerCenterSimulator.StartAsync(options, config["urls"] ?? "http://127.0.0.1:5980");
if (idp is not null)
{
    // Test secrets of a fake identity provider, printed so that a script can sign in to it.
    Console.WriteLine($"identity provider at {idp.AuthorityHost} app {PartnerAppId} secret {appSecret} refresh-token {idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, PartnerAppId)} certificate {Convert.ToBase64String(idp.Certificate.RawData)}");
}

Console.WriteLine($"{simulator} with {simulator.Data.Customers.Count} customers. Press Ctrl+C to stop.");
Console.WriteLine($"  Connect-PCPartner -AccessToken {options.AcceptedTokens.First()} -Endpoint {simulator.BaseAddress}");
Console.WriteLine($"  Get-PCCustomerLicenseUsage -CustomerId {SimulatorOptions.SeedCustomerId}");
try
{
    await simulator.WaitForShutdownAsync(stop.Token);
}
catch (OperationCanceledException)
{
}

// Only the names: Enum.Parse alone would take "7" or "Both, DocumentedOnly" too.
static CommercialPathForm PathForms(string? value) =>
    value is null ? CommercialPathForm.Both
    : Enum.GetNames<CommercialPathForm>().FirstOrDefault(name => name.Equals(value, StringComparison.OrdinalIgnoreCase)) is { } known ? Enum.Parse<CommercialPathForm>(known)
    : throw new ArgumentException($"--commercial-paths {value}: expected {string.Join(", ", Enum.GetNames<CommercialPathForm>())}.");
