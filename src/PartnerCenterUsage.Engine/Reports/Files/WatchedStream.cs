using System;
using System.IO;
using System.Threading;

namespace PartnerCenterUsage.Engine.Reports.Files;

/// <summary>
/// The stream a page is written through: every write first looks at the cancellation token, so that a stop ends the
/// write within one buffer, and the bytes written are told every <see cref="Step"/> bytes. Once abandoned (the write
/// failed), it takes nothing more, so that disposing the text writer over it cannot throw a second error over the first.
/// </summary>
internal sealed class WatchedStream : Stream
{
    /// <summary>How often the bytes written are told.</summary>
    public const long Step = 1024 * 1024;

    private readonly Stream _inner;
    private readonly Action<long>? _written;
    private readonly CancellationToken _cancellation;
    private long _next = Step;
    private bool _abandoned;

    public WatchedStream(Stream inner, Action<long>? written, CancellationToken cancellation)
    {
        _inner = inner;
        _written = written;
        _cancellation = cancellation;
    }

    /// <summary>The bytes written so far.</summary>
    public long Written { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_abandoned;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => Written;
        set => throw new NotSupportedException();
    }

    /// <summary>Takes nothing more: the write has failed or was stopped.</summary>
    public void Abandon() => _abandoned = true;

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (_abandoned)
        {
            return;
        }

        _cancellation.ThrowIfCancellationRequested();
        _inner.Write(buffer, offset, count);
        Written += count;
        if (Written >= _next)
        {
            _next = Written - (Written % Step) + Step;
            _written?.Invoke(Written);
        }
    }

    public override void Flush()
    {
        if (!_abandoned)
        {
            _inner.Flush();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
