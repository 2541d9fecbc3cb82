using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Hostile;

/// <summary>
/// The hostile server's building blocks each do what they say, seen from a plain HttpClient over real loopback HTTP.
/// Nothing waits on real seconds: drips, delays and storms move on a <see cref="TestClock"/>, and the bounded waits
/// only turn a hang into a failure.
/// </summary>
public sealed class HostileServerTests
{
    // Only a failure guard: a correct run never comes near it.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private static HttpClient Client(HostileServer server, bool decompress = false) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = decompress ? DecompressionMethods.All : DecompressionMethods.None,
        })
        {
            BaseAddress = server.BaseAddress,
        };

    [Fact]
    public async Task It_listens_on_loopback_and_records_every_request()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var server = await HostileServer.StartAsync(clock);
        using var client = Client(server);
        Assert.Equal("http", server.BaseAddress.Scheme);
        Assert.Equal("127.0.0.1", server.BaseAddress.Host);
        Assert.EndsWith("/", server.BaseAddress.AbsolutePath, StringComparison.Ordinal);

        using (var get = new HttpRequestMessage(HttpMethod.Get, "v1/customers?size=10&Filter=a%20b"))
        {
            get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "token-1");
            get.Headers.Add("MS-ContinuationToken", "abc");
            using var _ = await client.SendAsync(get);
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        using var content = new StringContent("{\"a\":1}", Encoding.UTF8, "application/json");
        (await client.PostAsync("v1/things", content)).Dispose();

        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        var first = requests[0];
        Assert.Equal(1, first.Number);
        Assert.Equal("GET", first.Method);
        Assert.Equal("/v1/customers", first.Path);
        Assert.Equal("?size=10&Filter=a%20b", first.QueryString);
        Assert.Equal("10", first.Query("SIZE"));
        Assert.Equal("a b", first.Query("filter"));
        Assert.Equal("Bearer token-1", first.Authorization);
        Assert.Equal("abc", first.Header("ms-continuationtoken"));
        Assert.Equal("abc", first.Headers["MS-CONTINUATIONTOKEN"]);
        Assert.Null(first.Header("Retry-After"));
        Assert.Equal(clock.GetUtcNow() - TimeSpan.FromMinutes(1), first.ReceivedAt);
        Assert.Equal(404, first.StatusCode);
        Assert.Equal(HostileOutcome.Completed, await first.Finished.WaitAsync(Guard));

        var second = requests[1];
        Assert.Equal("POST", second.Method);
        Assert.Equal("{\"a\":1}", second.Body);
        Assert.Equal(clock.GetUtcNow(), second.ReceivedAt);

        // One keep-alive connection carried both: the client's pool works against it as against a real server.
        Assert.Equal(first.ConnectionId, second.ConnectionId);
    }

    [Fact]
    public async Task Queued_answers_come_first_then_the_first_matching_route_then_the_default()
    {
        await using var server = await HostileServer.StartAsync();
        using var client = Client(server);
        server.On("/usage", HostileResponse.Json("{\"route\":\"usage\"}"));
        server.On("/customers", request => HostileResponse.Json($"{{\"route\":\"customers\",\"n\":{request.Number}}}"));
        server.On("/customers/", HostileResponse.Status(500));

        using (var missing = await client.GetAsync("v1/other"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal(0, missing.Content.Headers.ContentLength);
            Assert.Empty(await missing.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal("{\"route\":\"customers\",\"n\":2}", await client.GetStringAsync("v1/CUSTOMERS/x"));
        Assert.Equal("{\"route\":\"usage\"}", await client.GetStringAsync("v1/customers/x/usage"));

        server.Enqueue(HostileResponse.Status(503), HostileResponse.Status(502));
        server.Answer(HostileResponse.Json("{\"route\":\"default\"}"));
        using (var first = await client.GetAsync("v1/customers"))
        using (var second = await client.GetAsync("v1/customers"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
            Assert.Equal(HttpStatusCode.BadGateway, second.StatusCode);
        }

        Assert.Equal("{\"route\":\"customers\",\"n\":6}", await client.GetStringAsync("v1/customers"));
        Assert.Equal("{\"route\":\"default\"}", await client.GetStringAsync("v1/anything"));
    }

    [Fact]
    public async Task Json_bytes_and_status_send_what_they_say_with_injected_headers()
    {
        await using var server = await HostileServer.StartAsync();
        using var client = Client(server);
        server.Enqueue(
            HostileResponse.Json("{\"broken\":", 500, ("Retry-After", "7"), ("X-Test", "a"), ("X-Test", "b")),
            HostileResponse.Bytes([0xDE, 0xAD], "application/octet-stream", 203),
            HostileResponse.Status(503).WithHeader("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
            HostileResponse.Json("{}").WithHeader("Content-Type", "text/html").WithStatus(201));

        using (var json = await client.GetAsync("a"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, json.StatusCode);
            Assert.Equal("application/json", json.Content.Headers.ContentType!.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(7), json.Headers.RetryAfter!.Delta);
            Assert.Equal(["a", "b"], json.Headers.GetValues("X-Test"));
            Assert.Equal("{\"broken\":", await json.Content.ReadAsStringAsync());
        }

        using (var bytes = await client.GetAsync("b"))
        {
            Assert.Equal(203, (int)bytes.StatusCode);
            Assert.Equal("application/octet-stream", bytes.Content.Headers.ContentType!.MediaType);
            Assert.Equal([0xDE, 0xAD], await bytes.Content.ReadAsByteArrayAsync());
        }

        using (var status = await client.GetAsync("c"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status.StatusCode);
            Assert.Equal(new DateTimeOffset(2015, 10, 21, 7, 28, 0, TimeSpan.Zero), status.Headers.RetryAfter!.Date);
            Assert.Empty(await status.Content.ReadAsByteArrayAsync());
        }

        using (var lying = await client.GetAsync("d"))
        {
            Assert.Equal(HttpStatusCode.Created, lying.StatusCode);
            Assert.Equal("text/html", lying.Content.Headers.ContentType!.MediaType);
            Assert.Single(lying.Content.Headers.GetValues("Content-Type"));
        }

        foreach (var request in server.Requests)
        {
            Assert.Equal(HostileOutcome.Completed, await request.Finished.WaitAsync(Guard));
        }

        Assert.Equal(2, server.Requests[1].BytesSent);
    }

    [Fact]
    public async Task An_endless_body_reads_past_a_megabyte_and_the_server_sees_the_client_leave()
    {
        await using var server = await HostileServer.StartAsync();
        server.Answer(HostileResponse.Endless("{\"id\":1},"u8.ToArray(), prefix: "{\"items\":["u8.ToArray()));
        var client = Client(server);
        var response = await client.GetAsync("v1/customers", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Null(response.Content.Headers.ContentLength);

        var body = await response.Content.ReadAsStreamAsync();
        var start = new byte[10];
        await body.ReadExactlyAsync(start);
        Assert.Equal("{\"items\":[", Encoding.UTF8.GetString(start));
        var buffer = new byte[64 * 1024];
        long read = start.Length;
        while (read <= 1024 * 1024)
        {
            var count = await body.ReadAsync(buffer);
            Assert.NotEqual(0, count);
            read += count;
        }

        var request = Assert.Single(server.Requests);
        Assert.True(request.BytesSent >= read);
        Assert.Equal(HostileOutcome.Pending, request.Outcome);

        // The client goes away mid-body: the connection closes under the server's writes.
        await body.DisposeAsync();
        response.Dispose();
        client.Dispose();
        Assert.Equal(HostileOutcome.ClientGone, await request.Finished.WaitAsync(Guard));
        var sent = request.BytesSent;
        Assert.Equal(0, server.InFlight);
        Assert.Equal(sent, request.BytesSent);
    }

    [Fact]
    public async Task A_dripping_body_arrives_piece_by_piece_as_the_clock_moves()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var server = await HostileServer.StartAsync(clock);
        server.Answer(HostileResponse.Dripping("0123456789"u8.ToArray(), TimeSpan.FromSeconds(30), bytesPerDrip: 4));
        using var client = Client(server);

        using var response = await client.GetAsync("slow", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(10, response.Content.Headers.ContentLength);
        await using var body = await response.Content.ReadAsStreamAsync();
        var request = Assert.Single(server.Requests);
        var received = new StringBuilder();
        foreach (var drip in new[] { "0123", "4567", "89" })
        {
            var rest = drip.Length;
            if (received.Length > 0)
            {
                // The server waits on the clock, not on the client: nothing more comes until the test moves it.
                await Waits.UntilAsync(() => clock.PendingWaits == 1);
                var first = new byte[1];
                var pending = body.ReadAsync(first).AsTask();
                Assert.False(pending.IsCompleted);
                clock.Advance(TimeSpan.FromSeconds(30));
                Assert.Equal(1, await pending.WaitAsync(Guard));
                received.Append((char)first[0]);
                rest--;
            }

            var bytes = new byte[rest];
            await body.ReadExactlyAsync(bytes).AsTask().WaitAsync(Guard);
            received.Append(Encoding.ASCII.GetString(bytes));
            Assert.Equal(received.Length, request.BytesSent);
        }

        Assert.Equal("0123456789", received.ToString());
        Assert.Equal(0, await body.ReadAsync(new byte[1]));
        Assert.Equal(HostileOutcome.Completed, await request.Finished.WaitAsync(Guard));
        Assert.Equal(TimeSpan.FromSeconds(60), clock.Elapsed);
    }

    [Fact]
    public async Task A_delayed_answer_sends_nothing_until_the_clock_moves()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var server = await HostileServer.StartAsync(clock);
        server.Answer(HostileResponse.Json("{}").Delayed(TimeSpan.FromMinutes(5)));
        using var client = Client(server);

        var get = client.GetAsync("late");
        await Waits.UntilAsync(() => clock.PendingWaits == 1);
        Assert.False(get.IsCompleted);
        Assert.Null(server.Requests.Single().StatusCode);
        clock.Advance(TimeSpan.FromMinutes(5));

        using var response = await get.WaitAsync(Guard);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_hang_never_answers_until_the_client_cancels()
    {
        await using var server = await HostileServer.StartAsync();
        server.Answer(HostileResponse.Hang());
        using var client = Client(server);
        using var cancellation = new CancellationTokenSource();

        var get = client.GetAsync("v1/customers", cancellation.Token);
        await Waits.UntilAsync(() => server.InFlight == 1);
        var request = Assert.Single(server.Requests);
        Assert.False(get.IsCompleted);
        Assert.Equal(HostileOutcome.Pending, request.Outcome);
        Assert.Null(request.StatusCode);

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get);
        Assert.Equal(HostileOutcome.ClientGone, await request.Finished.WaitAsync(Guard));
        Assert.Null(request.StatusCode);
        Assert.Equal(0, server.InFlight);
    }

    [Fact]
    public async Task In_flight_counts_concurrent_requests()
    {
        await using var server = await HostileServer.StartAsync();
        server.Answer(HostileResponse.Hang());
        using var client = Client(server);
        using var cancellation = new CancellationTokenSource();

        var gets = Enumerable.Range(0, 3).Select(_ => client.GetAsync("hang", cancellation.Token)).ToList();
        await Waits.UntilAsync(() => server.InFlight == 3);
        Assert.Equal(3, server.MaxInFlight);
        Assert.Equal(3, server.Requests.Select(r => r.ConnectionId).Distinct().Count());

        await cancellation.CancelAsync();
        foreach (var get in gets)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get);
        }

        await Waits.UntilAsync(() => server.InFlight == 0);
        Assert.Equal(3, server.MaxInFlight);
    }

    [Fact]
    public async Task A_drop_closes_the_connection_without_an_answer()
    {
        await using var server = await HostileServer.StartAsync();
        server.Enqueue(HostileResponse.Drop());
        server.Answer(HostileResponse.Json("{}"));
        using var client = Client(server);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("v1/customers"));
        using var after = await client.GetAsync("v1/customers");

        var requests = server.Requests;
        Assert.Equal(HostileOutcome.Dropped, await requests[0].Finished.WaitAsync(Guard));
        Assert.Null(requests[0].StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(requests[0].ConnectionId, requests[1].ConnectionId);
    }

    [Fact]
    public async Task Corrupt_gzip_fails_when_the_client_decompresses()
    {
        await using var server = await HostileServer.StartAsync();
        server.Answer(HostileResponse.CorruptGzip());

        using (var raw = Client(server))
        using (var response = await raw.GetAsync("v1/customers"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
            Assert.Equal([0x1F, 0x8B], (await response.Content.ReadAsByteArrayAsync())[..2]);
        }

        using var client = Client(server, decompress: true);
        using var decompressed = await client.GetAsync("v1/customers", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, decompressed.StatusCode);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => decompressed.Content.ReadAsStringAsync());
        Assert.IsType<InvalidDataException>(error.GetBaseException());
    }

    [Fact]
    public async Task Corrupt_gzip_with_a_prefix_inflates_to_the_prefix_then_fails()
    {
        await using var server = await HostileServer.StartAsync();
        const string Prefix = "{\"totalCount\":1,\"items\":[{\"id\":";
        server.Answer(HostileResponse.CorruptGzip(Prefix));
        using var client = Client(server, decompress: true);

        using var response = await client.GetAsync("v1/customers", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var buffer = new byte[4096];
        var error = await Record.ExceptionAsync(async () =>
        {
            for (int count; (count = await body.ReadAsync(buffer)) > 0;)
            {
                received.Write(buffer, 0, count);
            }
        });

        Assert.Equal(Prefix, Encoding.UTF8.GetString(received.ToArray()));
        Assert.IsType<InvalidDataException>(error);
    }

    [Fact]
    public async Task Truncated_gzip_inflates_to_half_the_json_then_ends_quietly()
    {
        await using var server = await HostileServer.StartAsync();
        const string Json = "{\"totalCount\":2,\"items\":[{\"id\":\"a\"},{\"id\":\"b\"}]}";
        server.Answer(HostileResponse.TruncatedGzip(Json));
        using var client = Client(server, decompress: true);

        using var response = await client.GetAsync("v1/customers", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var half = new byte[Json.Length / 2];
        await body.ReadExactlyAsync(half);
        Assert.Equal(Json[..(Json.Length / 2)], Encoding.UTF8.GetString(half));

        // .NET's decompression ends quietly where the data ends: no error, only a short body. A client meets it as
        // JSON that stops in the middle, which is what hostile tests of the client rely on.
        Assert.Equal(0, await body.ReadAsync(new byte[16]));
    }

    [Fact]
    public async Task A_redirect_sets_location_and_is_not_followed()
    {
        await using var server = await HostileServer.StartAsync();
        server.Answer(HostileResponse.Redirect(307, "https://evil.example/v1/customers"));
        using var client = Client(server);

        using var response = await client.GetAsync("v1/customers");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(new Uri("https://evil.example/v1/customers"), response.Headers.Location);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Echo_authorization_quotes_the_token_in_a_partner_center_error()
    {
        await using var server = await HostileServer.StartAsync();
        server.Answer(HostileResponse.EchoAuthorization(401));
        using var client = Client(server);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "eyJ.secret.token");

        using var response = await client.GetAsync("v1/customers");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement;
        Assert.Equal("401", error.GetProperty("code").GetString());
        Assert.Contains("Bearer eyJ.secret.token", error.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, error.GetProperty("data").GetArrayLength());
        Assert.Equal("PartnerFD", error.GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_continuation_token_with_cr_lf_survives_the_json_round_trip()
    {
        await using var server = await HostileServer.StartAsync();
        const string Token = "page2\r\nX-Injected: yes";
        var customers = new[] { (Guid.NewGuid(), "Contoso Ltd"), (Guid.NewGuid(), "Fabrikam <b>&\u00e9</b>\n") };
        server.Answer(HostileResponse.CustomerPage(customers, "/customers?size=2&seekOperation=Next", Token));
        using var client = Client(server);

        var raw = await client.GetStringAsync("v1/customers?size=2");

        // Escaped on the wire, so the JSON is valid; a real CR/LF once decoded.
        Assert.DoesNotContain('\r', raw);
        Assert.DoesNotContain('\n', raw);
        Assert.Contains("Fabrikam <b>&\u00e9</b>", raw, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(raw);
        var page = json.RootElement;
        Assert.Equal(2, page.GetProperty("totalCount").GetInt32());
        var first = page.GetProperty("items")[0];
        Assert.Equal(customers[0].Item1, first.GetProperty("id").GetGuid());
        Assert.Equal("Contoso Ltd", first.GetProperty("companyProfile").GetProperty("companyName").GetString());
        Assert.Equal("contosoltd.onmicrosoft.com", first.GetProperty("companyProfile").GetProperty("domain").GetString());
        Assert.Equal(customers[0].Item1, first.GetProperty("companyProfile").GetProperty("tenantId").GetGuid());
        Assert.Equal("Fabrikam <b>&\u00e9</b>\n", page.GetProperty("items")[1].GetProperty("companyProfile").GetProperty("companyName").GetString());
        var next = page.GetProperty("links").GetProperty("next");
        Assert.Equal("/customers?size=2&seekOperation=Next", next.GetProperty("uri").GetString());
        Assert.Equal("GET", next.GetProperty("method").GetString());
        var header = Assert.Single(next.GetProperty("headers").EnumerateArray().ToList());
        Assert.Equal("MS-ContinuationToken", header.GetProperty("key").GetString());
        Assert.Equal(Token, header.GetProperty("value").GetString());
        Assert.Equal(Token, page.GetProperty("continuationToken").GetString());
    }

    [Fact]
    public void The_last_customer_page_has_no_links_and_collections_write_raw_items()
    {
        using (var last = JsonDocument.Parse(HostileResponse.CustomerPage([(Guid.NewGuid(), "A")], null, null, totalCount: 50).BodyText))
        {
            Assert.Equal(50, last.RootElement.GetProperty("totalCount").GetInt32());
            Assert.False(last.RootElement.TryGetProperty("links", out _));
            Assert.False(last.RootElement.TryGetProperty("continuationToken", out _));
        }

        Assert.Equal(
            "{\"totalCount\":2,\"items\":[{\"productName\":\"E3\"},{\"broken\":]}",
            HostileResponse.UsageCollection(["{\"productName\":\"E3\"}", "{\"broken\":"]).BodyText);
        Assert.Equal(
            "{\"Value\":[{\"a\":1}],\"@nextLink\":\"https://next/?skip=1\",\"TotalCount\":9}",
            HostileResponse.CommercialPage(["{\"a\":1}"], "https://next/?skip=1", 9).BodyText);
        Assert.Equal("{\"Value\":[],\"@nextLink\":null}", HostileResponse.CommercialPage([], null, null).BodyText);
    }

    [Fact]
    public async Task Throttle_is_a_429_outside_the_error_schema()
    {
        await using var server = await HostileServer.StartAsync();
        server.Enqueue(HostileResponse.Throttle("12"), HostileResponse.Throttle());
        using var client = Client(server);

        using (var response = await client.GetAsync("v1/customers"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(12), response.Headers.RetryAfter!.Delta);
            Assert.Equal("{\"statusCode\":429,\"message\":\"Rate limit is exceeded. Try again in 12 seconds.\"}", await response.Content.ReadAsStringAsync());
        }

        using (var response = await client.GetAsync("v1/customers"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Null(response.Headers.RetryAfter);
        }
    }

    [Fact]
    public async Task A_storm_answers_429_until_the_clock_passes_its_end_then_delegates()
    {
        var clock = new TestClock(autoAdvance: false);
        await using var server = await HostileServer.StartAsync(clock);
        server.StormUntil(clock.GetUtcNow() + TimeSpan.FromMinutes(2), "30", request => HostileResponse.Json($"{{\"n\":{request.Number}}}"));
        using var client = Client(server);

        using (var first = await client.GetAsync("v1/customers"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(30), first.Headers.RetryAfter!.Delta);
        }

        clock.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromTicks(1));
        using (var second = await client.GetAsync("v1/customers"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        }

        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal("{\"n\":3}", await client.GetStringAsync("v1/customers"));
    }

    [Fact]
    public async Task A_sequence_gives_its_answers_in_turn_then_repeats_the_last()
    {
        await using var server = await HostileServer.StartAsync();
        server.On("customers", HostileScripts.Sequence(HostileResponse.Status(500), HostileResponse.Status(429), HostileResponse.Status(200)));
        using var client = Client(server);

        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync("v1/customers");
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([500, 429, 200, 200], statuses);
    }

    [Fact]
    public async Task A_script_that_throws_answers_500_and_records_why()
    {
        await using var server = await HostileServer.StartAsync();
        server.Answer(_ => throw new InvalidOperationException("script bug"));
        using var client = Client(server);

        using var response = await client.GetAsync("v1/customers");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("script bug", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var request = Assert.Single(server.Requests);
        Assert.Equal(HostileOutcome.Failed, await request.Finished.WaitAsync(Guard));
        Assert.IsType<InvalidOperationException>(request.Error);
    }

    [Fact]
    public async Task Disposing_stops_promptly_with_hung_and_endless_answers_in_flight()
    {
        var server = await HostileServer.StartAsync();
        server.On("hang", HostileResponse.Hang());
        server.On("endless", HostileResponse.Endless("x"u8.ToArray()));
        using var client = Client(server);

        var hung = client.GetAsync("hang");
        using var endless = await client.GetAsync("endless", HttpCompletionOption.ResponseHeadersRead);
        await Waits.UntilAsync(() => server.InFlight == 2);

        // The endless body is never read: the server is blocked on a full socket when it is told to stop.
        await server.DisposeAsync().AsTask().WaitAsync(Guard);

        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        foreach (var request in requests)
        {
            Assert.Equal(HostileOutcome.Stopped, await request.Finished.WaitAsync(Guard));
        }

        await Assert.ThrowsAsync<HttpRequestException>(() => hung);
        await Assert.ThrowsAnyAsync<Exception>(() => endless.Content.ReadAsByteArrayAsync());
    }
}
