using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Engine.Http;

namespace PartnerCenterUsage.Benchmarks;

/// <summary>
/// What large answers cost in memory: N customers (16 by default) whose license usage answers are each about 52 MB
/// (under the 64 MB cap), served over loopback by a minimal HTTP/1.1 server of the benchmark's own, and fetched as
/// Get-PCCustomerLicenseUsage fans out over them with -ThrottleLimit N: one engine call per customer, all at once, each
/// through the one operation throttle at N requests in flight. The rows are counted and dropped, as a sink that keeps
/// nothing would. The figures are the process's peak working set, the peak of the live GC heap (sampled after a full
/// collection every 50 ms) and the wall time. Bodies:
/// <list type="bullet">
/// <item><c>rows</c>: a valid collection of about 160,000 rows (what a very large tenant's answer would be).</item>
/// <item><c>padded</c>: 10 rows and whitespace up to the size (what the body buffer costs alone, without the rows).</item>
/// </list>
/// Each answer carries a Content-Length unless <c>--chunked</c> (then it is sent in chunks, its size unknown beforehand).
/// With <c>--hosted</c>, the module itself instead, in the hosted PowerShell engine: <c>Get-PCCustomerLicenseUsage
/// -CustomerId (N ids) -ThrottleLimit N</c> into a sink that counts rows (the cmdlet's fan-out, its ordering and the
/// pipeline included; <c>--budget</c> does not apply there, the budget follows -MaxResponseSize). One scenario per
/// process (<c>--only memory --body rows|padded [--chunked] [--customers N] [--budget MB] [--hosted] [--timeline]</c>,
/// the last printing when each customer is done), so that one run's working set says nothing about the next.
/// </summary>
internal static class LargeAnswersBench
{
    public const int AnswerBytes = 52 * 1024 * 1024;

    public static async Task<string> RunAsync(string body, bool chunked, int customers, long? budgetMegabytes, bool hosted)
    {
        var answer = body switch
        {
            "rows" => Rows(AnswerBytes),
            "padded" => Padded(AnswerBytes),
            _ => throw new ArgumentException("--body takes rows or padded"),
        };
        using var server = new BulkServer(answer, chunked);
        var options = new PartnerCenterClientOptions { RequestTimeout = TimeSpan.FromMinutes(5), MaxRequestDuration = TimeSpan.FromMinutes(10) };
        if (budgetMegabytes is { } budget)
        {
            options.MaxBufferedResponseBytes = budget * 1024 * 1024;
        }

        using var client = new PartnerCenterClient(server.BaseAddress, new StaticAccessTokenProvider("benchmark-token", TimeProvider.System), options);
        var ids = Enumerable.Range(1, customers).Select(n => new Guid(n, 0, 0, new byte[8])).ToArray();

        GC.Collect();
        using var sampler = new MemorySampler();
        var stopwatch = Stopwatch.StartNew();
        if (hosted)
        {
            // The module itself in the hosted engine: the cmdlet's fan-out, its ordering and the pipeline included.
            using var shell = new PartnerCenterUsage.Runner.HostedPowerShell(configure: state => state.Commands.Add(
                new System.Management.Automation.Runspaces.SessionStateCmdletEntry("Measure-UsageRows", typeof(MeasureUsageRowsCommand), null)));
            shell.Invoke("Connect-PCPartner -AccessToken $args[0] -Endpoint $args[1] | Out-Null", PartnerCenterUsage.Simulator.SimulatorOptions.DefaultToken, server.BaseAddress);
            var tally = MeasureUsageRowsCommand.Reset();
            GC.Collect();
            using var hostedSampler = new MemorySampler();
            var watch = Stopwatch.StartNew();
            var run = shell.Invoke("Get-PCCustomerLicenseUsage -CustomerId $args[0] -ThrottleLimit $args[1] | Measure-UsageRows", ids.Select(id => id.ToString()).ToArray(), customers);
            watch.Stop();
            var (hostedWorkingSet, hostedHeap) = hostedSampler.Stop();
            return string.Create(CultureInfo.InvariantCulture,
                $"| {customers} x {answer.Length / (1024.0 * 1024.0):0} MB, {body}{(chunked ? ", chunked" : ", Content-Length")}, Get-PCCustomerLicenseUsage | {tally.Total:N0} ({run.Errors.Count} errors) | {hostedWorkingSet / (1024.0 * 1024.0):N0} | {hostedHeap / (1024.0 * 1024.0):N0} | {watch.Elapsed.TotalSeconds:0.0} |");
        }

        var operation = new PartnerCenterOperation(Guid.NewGuid(), null, maxConcurrency: customers);
        var counts = await Task.WhenAll(ids.Select(async id =>
        {
            var count = (await client.GetCustomerLicenseUsageAsync(id, operation, CancellationToken.None).ConfigureAwait(false)).Count;
            if (Bench.Timeline)
            {
                Console.Error.WriteLine($"{stopwatch.Elapsed.TotalSeconds:0.00} s: customer done");
            }

            return count;
        }));
        stopwatch.Stop();
        var (workingSet, heap) = sampler.Stop();

        return string.Create(CultureInfo.InvariantCulture,
            $"| {customers} x {answer.Length / (1024.0 * 1024.0):0} MB, {body}{(chunked ? ", chunked" : ", Content-Length")}{(budgetMegabytes is { } b ? $", budget {b} MB" : string.Empty)} | {counts.Sum():N0} | {workingSet / (1024.0 * 1024.0):N0} | {heap / (1024.0 * 1024.0):N0} | {stopwatch.Elapsed.TotalSeconds:0.0} |");
    }

    public const string Header = "| answers | rows | peak working set MB | peak live heap MB | s |\n| --- | ---: | ---: | ---: | ---: |";

    // A classic collection of rows up to about size bytes.
    private static byte[] Rows(int size)
    {
        var json = new StringBuilder(size + 1024).Append("{\"items\":[");
        var n = 0;
        while (json.Length < size - 512)
        {
            json.Append(n == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"productId":"prod-{{n % 40}}","productName":"Microsoft 365 E3 {{n % 40}}","workloadCode":"EXO","workloadName":"Exchange","serviceCode":"O365","serviceName":"o365","channel":"reseller","licensesActive":{{n}},"licensesQualified":{{2 * n}},"usagePercent":50,"processedDateTime":"2026-11-01T00:00:00Z"}""");
            n++;
        }

        return Encoding.UTF8.GetBytes(json.Append("],\"totalCount\":").Append(n).Append('}').ToString());
    }

    // Ten rows, then whitespace up to size bytes.
    private static byte[] Padded(int size)
    {
        var rows = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Rows(4096)).TrimEnd('}'));
        var body = new byte[size];
        rows.CopyTo(body, 0);
        body.AsSpan(rows.Length, size - rows.Length - 1).Fill((byte)' ');
        body[^1] = (byte)'}';
        return body;
    }

    /// <summary>Answers every GET on loopback with the same body, keeping connections alive.</summary>
    private sealed class BulkServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly byte[] _body;
        private readonly bool _chunked;
        private readonly CancellationTokenSource _stop = new();

        public BulkServer(byte[] body, bool chunked)
        {
            _body = body;
            _chunked = chunked;
            _listener.Start();
            BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _ = AcceptAsync();
        }

        public Uri BaseAddress { get; }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient connection;
                try
                {
                    connection = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }

                _ = ServeAsync(connection);
            }
        }

        private async Task ServeAsync(TcpClient connection)
        {
            using var _ = connection;
            var stream = connection.GetStream();
            var request = new byte[16384];
            try
            {
                while (true)
                {
                    // The request's head, up to its blank line; GETs have no body.
                    var length = 0;
                    while (length < 4 || !request.AsSpan(0, length).EndsWith("\r\n\r\n"u8))
                    {
                        var read = await stream.ReadAsync(request.AsMemory(length, 1), _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        length += read;
                    }

                    var head = _chunked
                        ? "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        : string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {_body.Length}\r\n\r\n");
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                    const int Chunk = 256 * 1024;
                    for (var at = 0; at < _body.Length; at += Chunk)
                    {
                        var count = Math.Min(Chunk, _body.Length - at);
                        if (_chunked)
                        {
                            await stream.WriteAsync(Encoding.ASCII.GetBytes(count.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), _stop.Token);
                        }

                        await stream.WriteAsync(_body.AsMemory(at, count), _stop.Token);
                        if (_chunked)
                        {
                            await stream.WriteAsync("\r\n"u8.ToArray(), _stop.Token);
                        }
                    }

                    if (_chunked)
                    {
                        await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), _stop.Token);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }
}
