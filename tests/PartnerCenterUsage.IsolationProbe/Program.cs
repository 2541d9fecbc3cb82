using System.Diagnostics;
using System.Globalization;
using System.Runtime.Loader;
using Microsoft.Identity.Client;
using PartnerCenterUsage.Runner;
using PartnerCenterUsage.Simulator;

// dotnet PartnerCenterUsage.IsolationProbe.dll other-msal-first | module-first | lazy | desktop-resolver | import-timing
// Prints what it checks, one line each; exits 0 when every check holds, 1 at the first that does not.
const string AppId = "6f9a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b";
var scenario = args.FirstOrDefault() ?? "lazy";
try
{
    switch (scenario)
    {
        case "other-msal-first":
            await TwoMsals(otherFirst: true);
            break;
        case "module-first":
            await TwoMsals(otherFirst: false);
            break;
        case "lazy":
            await Lazy();
            break;
        case "desktop-resolver":
            DesktopResolver();
            break;
        case "import-timing":
            await ImportTiming(int.Parse(args.ElementAtOrDefault(1) ?? "20", CultureInfo.InvariantCulture));
            break;
        default:
            throw new ArgumentException($"Unknown scenario '{scenario}'.");
    }

    Console.WriteLine("PASS " + scenario);
    return 0;
}
catch (Exception ex)
{
    Console.WriteLine("FAIL " + scenario + ": " + ex);
    return 1;
}

// The resolver Windows PowerShell 5.1 gets (AppDomain.AssemblyResolve over Dependencies/Desktop), registered here as
// 5.1 would register it, in a process whose own loads of other names go through it: it answers the module's files
// within the rule, and nothing else.
static void DesktopResolver()
{
    var module = Path.Combine(Path.GetDirectoryName(HostedPowerShell.ModuleManifestPath)!, "PartnerCenterUsage.dll");
    var desktop = Path.Combine(Path.GetDirectoryName(module)!, "Dependencies", "Desktop");
    var cmdlets = System.Reflection.Assembly.LoadFrom(module);
    var resolver = cmdlets.GetType("PartnerCenterUsage.EngineLoader+FrameworkResolver", throwOnError: true)!;
    resolver.GetMethod("Register", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)!.Invoke(null, [desktop]);

    System.Reflection.Assembly? Load(string name)
    {
        try
        {
            return System.Reflection.Assembly.Load(new System.Reflection.AssemblyName(name));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    var engine = Load("PartnerCenterUsage.Engine, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null");
    Check(engine is not null && Path.GetDirectoryName(engine.Location) == desktop, "the engine is answered from Dependencies/Desktop");
    // Before the file is loaded: once it is, the runtime itself gives it for its simple name.
    Check(Load("Microsoft.Bcl.TimeProvider, Version=8.0.0.0, Culture=neutral, PublicKeyToken=0123456789abcdef") is null, "a request for another strong name is not answered");
    var timeProvider = Load("Microsoft.Bcl.TimeProvider, Version=8.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51");
    Check(timeProvider is not null && Path.GetDirectoryName(timeProvider.Location) == desktop, "another caller's request within the shipped file's major, at most its version, is answered");
    Check(Load("Microsoft.Bcl.TimeProvider, Version=9.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51") is null, "another caller's request for a higher major is not answered");
    Check(Load("Microsoft.Bcl.TimeProvider, Version=8.0.0.9, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51") is null, "a request for a higher version than shipped is not answered");
    Check(Load("Contoso.Module.Dependency, Version=1.0.0.0") is null, "a name the module does not ship is not answered");
}

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("Check failed: " + what);
    }

    Console.WriteLine("ok " + what);
}

static List<(Version? Version, string Context)> LoadedMsals() =>
    AppDomain.CurrentDomain.GetAssemblies()
        .Where(a => a.GetName().Name == "Microsoft.Identity.Client")
        .Select(a => (a.GetName().Version, AssemblyLoadContext.GetLoadContext(a)?.GetType().Name ?? "?"))
        .ToList();

// Another module's MSAL, used by its own caller: client credentials against the same identity provider.
static async Task UseOtherMsal(IdentityProviderSimulator idp, string secret)
{
    var app = ConfidentialClientApplicationBuilder.Create(AppId)
        .WithAuthority(new Uri(idp.AuthorityHost, "organizations").ToString(), validateAuthority: false)
        .WithInstanceDiscovery(false)
        .WithHttpClientFactory(new TrustOne(idp))
        .WithClientSecret(secret)
        .Build();
    var result = await app.AcquireTokenForClient(["https://api.partnercenter.microsoft.com/.default"]).ExecuteAsync();
    Check(result.AccessToken.Length > 0, $"the other MSAL ({typeof(ConfidentialClientApplicationBuilder).Assembly.GetName().Version}) gets a token for its own caller");
}

static void UseModule(HostedPowerShell shell, IdentityProviderSimulator idp, PartnerCenterSimulator api, string secret)
{
    var refreshToken = idp.IssueRefreshToken(IdentityProviderSimulator.PartnerA, AppId);
    shell.Invoke(
        "Connect-PCPartner -ApplicationId $args[0] -Credential ([pscredential]::new($args[0], [System.Net.NetworkCredential]::new('', $args[1]).SecurePassword)) " +
        "-RefreshToken $args[2] -Endpoint $args[3] -Authority $args[4] -AuthorityCertificate $args[5] | Out-Null",
        AppId, secret, refreshToken, api.BaseAddress, idp.AuthorityHost, idp.Certificate);
    var rows = shell.Invoke("Get-PCCustomerLicenseUsage -CustomerId $args[0]", SimulatorOptions.SeedCustomerId);
    Check(rows.Errors.Count == 0 && rows.Output.Count == 5, "the module signs in through its own MSAL and gets the usage");
}

static async Task TwoMsals(bool otherFirst)
{
    await using var idp = await IdentityProviderSimulator.StartAsync();
    await using var api = await PartnerCenterSimulator.StartAsync(new SimulatorOptions { IdentityProvider = idp });
    var secret = "secret-" + Guid.NewGuid().ToString("N");
    idp.RegisterConfidentialClient(AppId, secret);
    using var shell = new HostedPowerShell();
    if (otherFirst)
    {
        await UseOtherMsal(idp, secret);
        UseModule(shell, idp, api, secret);
    }
    else
    {
        UseModule(shell, idp, api, secret);
        await UseOtherMsal(idp, secret);
    }

    await UseOtherMsal(idp, secret);
    var msals = LoadedMsals();
    Check(msals.Count == 2, $"two MSALs live side by side: {string.Join(", ", msals.Select(m => $"{m.Version} in {m.Context}"))}");
    Check(msals.Any(m => m.Version == new Version(4, 61, 3, 0) && m.Context == "DefaultAssemblyLoadContext"), "the other MSAL is in the default context");
    Check(msals.Any(m => m.Version!.Major == 4 && m.Version.Minor == 92 && m.Context == "DependencyLoadContext"), "the module's MSAL is in its own context");
}

static async Task Lazy()
{
    await using var api = await PartnerCenterSimulator.StartAsync();
    using var shell = new HostedPowerShell();
    Check(LoadedMsals().Count == 0, "Import-Module loads no MSAL");
    Check(!AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "PartnerCenterUsage.Engine"), "Import-Module does not even load the engine");

    shell.Invoke("Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1] | Out-Null", SimulatorOptions.DefaultToken, api.BaseAddress);
    var rows = shell.Invoke("Get-PCCustomer | Get-PCCustomerLicenseUsage | Where-Object UsagePercent -lt 50");
    Check(rows.Errors.Count == 0 && rows.Output.Count > 0, "objects from the engine bind by property name and filter with Where-Object");
    var engine = rows.Output[0].BaseObject.GetType().Assembly;
    Check(AssemblyLoadContext.GetLoadContext(engine)?.GetType().Name == "DependencyLoadContext", "the engine runs in the module's own load context");
    Check(LoadedMsals().Count == 0, "a connection by access token, and its requests, load no MSAL");

    shell.Invoke("Get-PCCustomerLicenseUsage -CustomerId $args[0] | Out-Default", SimulatorOptions.SeedCustomerId);
    Check(shell.ConsoleText.Contains("CustomerName", StringComparison.Ordinal) && shell.ConsoleText.Contains("Usage%", StringComparison.Ordinal), "output formats with the module's table view");

    shell.Invoke("Remove-Module PartnerCenterUsage; Import-Module $args[0] -ErrorAction Stop", HostedPowerShell.ModuleManifestPath);
    shell.Invoke("Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1] | Out-Null", SimulatorOptions.DefaultToken, api.BaseAddress);
    var again = shell.Invoke("Get-PCCustomerLicenseUsage -CustomerId $args[0]", SimulatorOptions.SeedCustomerId);
    Check(again.Errors.Count == 0 && again.Output.Count == 5, "Remove-Module then Import-Module in the same session works");
}

// Import-Module of the built module, then connect and the first Get-PCCustomerLicenseUsage, in fresh runspaces of this
// process: the first run is the cold one (a fresh process), the median of the others the warm one.
static async Task ImportTiming(int runs)
{
    await using var api = await PartnerCenterSimulator.StartAsync();
    var imports = new List<double>();
    var firstCalls = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        using var shell = new HostedPowerShell(importModule: false);
        var stopwatch = Stopwatch.StartNew();
        shell.Invoke("Import-Module $args[0] -ErrorAction Stop", HostedPowerShell.ModuleManifestPath);
        imports.Add(stopwatch.Elapsed.TotalMilliseconds);
        stopwatch.Restart();
        var rows = shell.Invoke(
            "Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1] | Out-Null; Get-PCCustomerLicenseUsage -CustomerId $args[2]",
            SimulatorOptions.DefaultToken, api.BaseAddress, SimulatorOptions.SeedCustomerId);
        firstCalls.Add(stopwatch.Elapsed.TotalMilliseconds);
        Check(rows.Output.Count == 5, "the first call in a fresh runspace gets the usage");
    }

    static double Median(List<double> values) => values.Skip(1).Order().ElementAt((values.Count - 1) / 2);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"timing cold-import-ms={imports[0]:0.0} warm-import-median-ms={Median(imports):0.0} cold-first-call-ms={firstCalls[0]:0.0} warm-first-call-median-ms={Median(firstCalls):0.0}"));
}

/// <summary>MSAL's HTTP client for the test identity provider: trusts its one certificate.</summary>
internal sealed class TrustOne(IdentityProviderSimulator idp) : IMsalHttpClientFactory
{
    private readonly HttpClient _client = new(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c!.Thumbprint == idp.Certificate.Thumbprint });

    public HttpClient GetHttpClient() => _client;
}
