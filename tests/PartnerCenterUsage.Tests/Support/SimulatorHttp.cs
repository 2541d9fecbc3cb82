using System.Net.Http.Headers;
using System.Text.Json;
using PartnerCenterUsage.Simulator;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>
/// A simulator and a plain HttpClient with the default token: the REST API as any client sees it, without the engine.
/// The simulator runs on a <see cref="TestClock"/> unless the options give it another clock.
/// </summary>
public sealed class SimulatorHttp : IAsyncDisposable
{
    private SimulatorHttp(PartnerCenterSimulator simulator)
    {
        Simulator = simulator;
        Client = new HttpClient { BaseAddress = simulator.BaseAddress };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SimulatorOptions.DefaultToken);
    }

    public PartnerCenterSimulator Simulator { get; }

    public HttpClient Client { get; }

    /// <summary>The simulator's customers.</summary>
    public SimulatorData Data => Simulator.Data;

    public static async Task<SimulatorHttp> StartAsync(SimulatorOptions? options = null)
    {
        options ??= new SimulatorOptions();
        options.TimeProvider ??= new TestClock();
        return new SimulatorHttp(await PartnerCenterSimulator.StartAsync(options));
    }

    /// <summary>GET a path (with its query), relative to the simulator's base address or absolute.</summary>
    public async Task<HttpAnswer> GetAsync(string pathAndQuery)
    {
        using var response = await Client.GetAsync(new Uri(pathAndQuery, UriKind.RelativeOrAbsolute));
        return new HttpAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET that must answer 200: its JSON.</summary>
    public async Task<JsonElement> GetJsonAsync(string pathAndQuery)
    {
        var answer = await GetAsync(pathAndQuery);
        Assert.True(answer.Status == 200, $"GET {pathAndQuery} answered {answer.Status}: {answer.Body}");
        return answer.Json;
    }

    /// <summary>GET a commercial analytics page that must answer 200.</summary>
    public async Task<CommercialPage> GetPageAsync(string pathAndQuery) => CommercialPage.Read(await GetJsonAsync(pathAndQuery));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Simulator.DisposeAsync();
    }
}
