using System.Globalization;
using PartnerCenterUsage.Simulator;

// Runs the simulator on its own, for trying scripts offline:
//   dotnet run --project src/PartnerCenterUsage.Simulator -- --urls http://127.0.0.1:5980 [--customers 25] [--seed N] [--latency-ms 0] [--token T]
var config = new ConfigurationBuilder().AddCommandLine(args).Build();
var options = new SimulatorOptions
{
    CustomerCount = int.Parse(config["customers"] ?? "25", CultureInfo.InvariantCulture),
    Seed = int.Parse(config["seed"] ?? "20170309", CultureInfo.InvariantCulture),
    Latency = TimeSpan.FromMilliseconds(int.Parse(config["latency-ms"] ?? "0", CultureInfo.InvariantCulture)),
};
if (config["token"] is { Length: > 0 } token)
{
    options.AcceptedTokens.Clear();
    options.AcceptedTokens.Add(token);
}

await using var simulator = await PartnerCenterSimulator.StartAsync(options, config["urls"] ?? "http://127.0.0.1:5980");
Console.WriteLine($"{simulator} with {simulator.Data.Customers.Count} customers. Press Ctrl+C to stop.");
Console.WriteLine($"  Connect-PCPartner -AccessToken {options.AcceptedTokens.First()} -Endpoint {simulator.BaseAddress}");
Console.WriteLine($"  Get-PCCustomerLicenseUsage -CustomerId {SimulatorOptions.SeedCustomerId}");
await simulator.WaitForShutdownAsync();
