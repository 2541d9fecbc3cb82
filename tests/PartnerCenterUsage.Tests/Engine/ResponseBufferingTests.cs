using System.Net;
using System.Net.Http.Headers;
using System.Text;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// What an answer costs in memory while it is read: about its own size, however it arrives (one buffer of its
/// Content-Length; without one, chunks copied once), and no more than the connection's budget of answers held at once
/// (<see cref="PartnerCenterClientOptions.MaxBufferedResponseBytes"/>), taken before the body is buffered and given back
/// once it is parsed, whatever the number of requests in flight.
/// </summary>
public sealed class ResponseBufferingTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:9/");
    private static readonly Guid Customer = Guid.Parse("4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04");
    private const int Large = 8 * 1024 * 1024;

    // A customer's license usage of one row, padded with whitespace to size bytes: what the buffer costs, not the rows.
    private static byte[] Padded(int size)
    {
        var rows = Encoding.UTF8.GetBytes("""{"totalCount": 1, "items": [{"licensesActive": 3, "licensesQualified": 5}]""");
        var body = new byte[size];
        rows.CopyTo(body, 0);
        body.AsSpan(rows.Length, size - rows.Length - 1).Fill((byte)' ');
        body[^1] = (byte)'}';
        return body;
    }

    private static PartnerCenterClient Client(Func<HttpContent> content)
    {
        var clock = new TestClock();
        var handler = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = content() });
        return new PartnerCenterClient(Endpoint, new StaticAccessTokenProvider("test-token", clock), new PartnerCenterClientOptions { Handler = handler, TimeProvider = clock });
    }

    // The bytes this thread allocates to fetch and read the customer's usage. Every part completes at once here (a handler
    // that answers at once, a body in memory), so the whole request runs on this thread and nothing escapes the count.
    private static long AllocatedToRead(PartnerCenterClient client)
    {
        // Once before, so that what is measured is the read, not the first use of its code.
        Assert.Single(client.GetCustomerLicenseUsageAsync(Customer, new PartnerCenterOperation(), CancellationToken.None).GetAwaiter().GetResult());
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = client.GetCustomerLicenseUsageAsync(Customer, new PartnerCenterOperation(), CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(read.IsCompletedSuccessfully, "The request did not complete on the test's thread: the count would miss part of it.");
        Assert.Single(read.Result);
        return allocated;
    }

    [Fact]
    public void An_answer_with_a_Content_Length_costs_one_buffer_of_that_length_not_a_buffer_grown_by_doubling()
    {
        var body = Padded(Large);
        using var client = Client(() => new ByteArrayContent(body));

        var allocated = AllocatedToRead(client);

        // The body once, and the little the request and its row cost. A buffer grown by doubling and copied out cost
        // about three and a half times the body.
        Assert.InRange(allocated, Large, Large + (Large / 8));
    }

    [Fact]
    public void An_answer_without_a_Content_Length_costs_at_most_twice_its_size()
    {
        var body = Padded(Large);
        using var client = Client(() => new StreamContent(new UnseekableStream(body)));

        var allocated = AllocatedToRead(client);

        // The chunks it arrives in (the last, of at most 1 MB, partly filled) and the body they are copied into once. A
        // buffer grown by doubling and copied out cost about three and a half times the body.
        Assert.InRange(allocated, Large, (2 * Large) + (1 << 20) + (Large / 8));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(10_000)]
    public async Task A_body_longer_or_shorter_than_its_Content_Length_is_read_as_it_is(long declared)
    {
        // What a handler that decompresses may say: the length it was sent with, not the length it gives.
        var body = Padded(1_000);
        using var client = Client(() =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentLength = declared;
            return content;
        });

        var rows = await client.GetCustomerLicenseUsageAsync(Customer, new PartnerCenterOperation(), CancellationToken.None);

        Assert.Equal(3, Assert.Single(rows).LicensesActive);
    }

    [Fact]
    public async Task A_second_large_answer_waits_for_the_budget_until_the_first_is_parsed_before_it_is_buffered()
    {
        const int Size = 100_000;
        var clock = new TestClock();
        var first = new GatedStream(Padded(Size));
        var second = new GatedStream(Padded(Size), gated: false);
        var handler = new ScriptedHandler(request => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = Sized(request.RequestUri!.AbsolutePath.EndsWith("/first", StringComparison.Ordinal) ? first : second, Size),
        });
        using var transport = new PartnerCenterTransport(Endpoint, new StaticAccessTokenProvider("test-token", clock), new PartnerCenterClientOptions
        {
            Handler = handler,
            TimeProvider = clock,
            MaxBufferedResponseBytes = 150_000,
        });
        var log = new Lines();
        var operation = new PartnerCenterOperation(Guid.NewGuid(), log, maxConcurrency: 4);

        var sendingFirst = transport.SendAsync(PartnerCenterRequest.Get(new Uri(Endpoint, "first")), operation, CancellationToken.None);
        await Waits.UntilAsync(() => first.Stalled);

        // Its whole Content-Length is taken before its first byte is buffered.
        Assert.Equal(Size, transport.Budget.Held);

        var sendingSecond = transport.SendAsync(PartnerCenterRequest.Get(new Uri(Endpoint, "second")), operation, CancellationToken.None);
        await Waits.UntilAsync(() => transport.Budget.Waiting == 1);
        Assert.Equal(0, second.BytesRead);
        Assert.Contains(log.Verbose, line => line == "GET /second: waiting for 0.1 MB of answers already read to be parsed before reading 0.1 MB more of this one (the connection holds 0.1 MB of answers at once).");

        first.Open();
        var firstAnswer = await sendingFirst;

        // Read but not yet parsed, the first answer still holds its bytes.
        Assert.False(sendingSecond.IsCompleted);
        Assert.Equal(1, transport.Budget.Waiting);
        Assert.Equal(Size, firstAnswer.Read(body => body.Length));

        var secondAnswer = await sendingSecond;
        Assert.Equal(Size, second.BytesRead);
        Assert.Equal(Size, transport.Budget.Held);
        secondAnswer.Read(body => body.Length);
        Assert.Equal(0, transport.Budget.Held);
    }

    [Fact]
    public async Task A_request_stopped_while_its_answer_waits_for_the_budget_ends_cancelled_and_holds_nothing()
    {
        const int Size = 100_000;
        var clock = new TestClock();
        var first = new GatedStream(Padded(Size));
        var handler = new ScriptedHandler(request => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = Sized(request.RequestUri!.AbsolutePath.EndsWith("/first", StringComparison.Ordinal) ? first : new GatedStream(Padded(Size), gated: false), Size),
        });
        using var transport = new PartnerCenterTransport(Endpoint, new StaticAccessTokenProvider("test-token", clock), new PartnerCenterClientOptions
        {
            Handler = handler,
            TimeProvider = clock,
            MaxBufferedResponseBytes = 150_000,
        });
        var operation = new PartnerCenterOperation(Guid.NewGuid(), null, maxConcurrency: 4);
        var sendingFirst = transport.SendAsync(PartnerCenterRequest.Get(new Uri(Endpoint, "first")), operation, CancellationToken.None);
        await Waits.UntilAsync(() => first.Stalled);
        using var stop = new CancellationTokenSource();
        var sendingSecond = transport.SendAsync(PartnerCenterRequest.Get(new Uri(Endpoint, "second")), operation, stop.Token);
        await Waits.UntilAsync(() => transport.Budget.Waiting == 1);

        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sendingSecond);
        Assert.Equal(0, transport.Budget.Waiting);
        Assert.Equal(Size, transport.Budget.Held);
        first.Open();
        (await sendingFirst).Read(body => body.Length);
        Assert.Equal(0, transport.Budget.Held);
    }

    [Fact]
    public void The_budget_is_four_answers_of_the_largest_size_read_unless_it_is_set()
    {
        var clock = new TestClock();
        var tokens = new StaticAccessTokenProvider("test-token", clock);
        using var byDefault = new PartnerCenterTransport(Endpoint, tokens, new PartnerCenterClientOptions { TimeProvider = clock });
        using var larger = new PartnerCenterTransport(Endpoint, tokens, new PartnerCenterClientOptions { TimeProvider = clock, MaxResponseBytes = 1L << 30 });
        using var set = new PartnerCenterTransport(Endpoint, tokens, new PartnerCenterClientOptions { TimeProvider = clock, MaxBufferedResponseBytes = 1 });

        Assert.Equal(256L * 1024 * 1024, byDefault.Budget.Capacity);
        Assert.Equal(4L << 30, larger.Budget.Capacity);
        Assert.Equal(1, set.Budget.Capacity);
    }

    [Fact]
    public async Task An_error_answer_gives_its_bytes_back_once_it_is_read()
    {
        var clock = new TestClock();
        var error = Encoding.UTF8.GetBytes("""{"code": "600", "description": "No such thing."}""" + new string(' ', 100_000));
        var handler = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new ByteArrayContent(error) });
        using var transport = new PartnerCenterTransport(Endpoint, new StaticAccessTokenProvider("test-token", clock), new PartnerCenterClientOptions { Handler = handler, TimeProvider = clock });

        var refused = await Assert.ThrowsAsync<PartnerCenterApiException>(() =>
            transport.SendAsync(PartnerCenterRequest.Get(new Uri(Endpoint, "first")), new PartnerCenterOperation(), CancellationToken.None));

        Assert.Equal("600", refused.ErrorCode);
        Assert.Equal(0, transport.Budget.Held);
    }

    /// <summary>The Verbose lines of an operation.</summary>
    private sealed class Lines : PartnerCenterUsage.Engine.Diagnostics.IPartnerCenterLog
    {
        private readonly List<string> _verbose = [];

        public IReadOnlyList<string> Verbose
        {
            get
            {
                lock (_verbose)
                {
                    return [.. _verbose];
                }
            }
        }

        public void Write(PartnerCenterUsage.Engine.Diagnostics.PartnerCenterLogLevel level, string message)
        {
            if (level == PartnerCenterUsage.Engine.Diagnostics.PartnerCenterLogLevel.Verbose)
            {
                lock (_verbose)
                {
                    _verbose.Add(message);
                }
            }
        }
    }

        private static StreamContent Sized(Stream stream, int size)
    {
        var content = new StreamContent(stream);
        content.Headers.ContentLength = size;
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>A body that can say nothing of its length.</summary>
    private sealed class UnseekableStream(byte[] body) : MemoryStream(body, writable: false)
    {
        public override bool CanSeek => false;
    }

    /// <summary>A body that, gated, stops before its last byte until the test opens it; it counts the bytes read.</summary>
    private sealed class GatedStream(byte[] body, bool gated = true) : Stream
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;
        private volatile bool _stalled;

        public bool Stalled => _stalled;

        public int BytesRead => Volatile.Read(ref _position);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Open() => _open.TrySetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (gated && _position == body.Length - 1)
            {
                _stalled = true;
                await _open.Task.WaitAsync(cancellationToken);
            }

            var limit = gated && _position < body.Length - 1 ? body.Length - 1 : body.Length;
            var count = Math.Min(buffer.Length, limit - _position);
            body.AsMemory(_position, count).CopyTo(buffer);
            Volatile.Write(ref _position, _position + count);
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
