using System;
using System.IO;

namespace PartnerCenterUsage.Engine.Reports.Data;

/// <summary>
/// Reads a stream line by line as bytes, in bounded memory: a line longer than the cap is not kept (its length is
/// still told, so a caller can skip it or refuse it). Lines end at LF; a CR before it is not part of the line.
/// </summary>
internal sealed class ByteLineReader
{
    private readonly Stream _stream;
    private readonly int _cap;
    private readonly byte[] _buffer;
    private byte[] _line;
    private int _start;
    private int _end;
    private bool _ended;
    private long _left;

    /// <summary>A reader of at most <paramref name="limit"/> bytes of <paramref name="stream"/>, from where it stands.</summary>
    public ByteLineReader(Stream stream, int cap, long limit, int bufferSize = 64 * 1024)
    {
        _stream = stream;
        _left = limit;
        _cap = cap;
        _buffer = new byte[bufferSize];
        _line = new byte[Math.Min(cap, 4096)];
    }

    /// <summary>The number of the line last read, from 1.</summary>
    public long LineNumber { get; private set; }

    /// <summary>
    /// Reads the next line: false at the end of the stream. <paramref name="tooLong"/> is true when the line was longer
    /// than the cap; then <paramref name="line"/> is empty.
    /// </summary>
    public bool TryRead(out ReadOnlySpan<byte> line, out bool tooLong)
    {
        var length = 0;
        var any = false;
        tooLong = false;
        while (true)
        {
            if (_start == _end)
            {
                if (_ended || _left <= 0 || (_end = _stream.Read(_buffer, 0, (int)Math.Min(_buffer.Length, _left))) == 0)
                {
                    _ended = true;
                    _start = _end = 0;
                    if (!any)
                    {
                        line = default;
                        return false;
                    }

                    break;
                }

                _start = 0;
                _left -= _end;
            }

            any = true;
            var rest = new ReadOnlySpan<byte>(_buffer, _start, _end - _start);
            var newline = rest.IndexOf((byte)'\n');
            var part = newline < 0 ? rest : rest.Slice(0, newline);
            if (!tooLong)
            {
                if (length + part.Length > _cap)
                {
                    tooLong = true;
                }
                else
                {
                    if (length + part.Length > _line.Length)
                    {
                        Array.Resize(ref _line, Math.Min(_cap, Math.Max(_line.Length * 2, length + part.Length)));
                    }

                    part.CopyTo(new Span<byte>(_line, length, part.Length));
                    length += part.Length;
                }
            }

            if (newline >= 0)
            {
                _start += newline + 1;
                break;
            }

            _start = _end;
        }

        LineNumber++;
        if (tooLong)
        {
            line = default;
            return true;
        }

        if (length > 0 && _line[length - 1] == (byte)'\r')
        {
            length--;
        }

        line = new ReadOnlySpan<byte>(_line, 0, length);
        return true;
    }
}
