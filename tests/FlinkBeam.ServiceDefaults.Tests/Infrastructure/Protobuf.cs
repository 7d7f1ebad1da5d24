using System.Buffers.Binary;
using System.Text;

namespace FlinkBeam.ServiceDefaults.Tests.Infrastructure;

/// <summary>One field of a protobuf message, undecoded beyond its wire type.</summary>
internal readonly record struct ProtobufField(int Number, int WireType, ulong Scalar, ReadOnlyMemory<byte> Bytes);

/// <summary>
/// Reads the protobuf wire format (varint, 64-bit, length-delimited, 32-bit) without generated code, enough to
/// look inside OTLP export requests.
/// </summary>
internal static class Protobuf
{
    public static IReadOnlyList<ProtobufField> Fields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<ProtobufField>();
        var span = message.Span;
        var position = 0;
        while (position < span.Length)
        {
            var tag = ReadVarint(span, ref position);
            var number = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            switch (wireType)
            {
                case 0:
                    fields.Add(new ProtobufField(number, wireType, ReadVarint(span, ref position), default));
                    break;
                case 1:
                    fields.Add(new ProtobufField(number, wireType, BinaryPrimitives.ReadUInt64LittleEndian(span[position..]), default));
                    position += 8;
                    break;
                case 2:
                    var length = checked((int)ReadVarint(span, ref position));
                    if (position + length > span.Length)
                    {
                        throw new FormatException($"Field {number} claims {length} bytes but only {span.Length - position} remain.");
                    }

                    fields.Add(new ProtobufField(number, wireType, 0, message.Slice(position, length)));
                    position += length;
                    break;
                case 5:
                    fields.Add(new ProtobufField(number, wireType, BinaryPrimitives.ReadUInt32LittleEndian(span[position..]), default));
                    position += 4;
                    break;
                default:
                    throw new FormatException($"Unsupported wire type {wireType} for field {number} at byte {position}.");
            }
        }

        return fields;
    }

    /// <summary>The embedded messages (or strings, bytes) stored in a repeated or single field.</summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Children(ReadOnlyMemory<byte> message, int number) =>
        Fields(message).Where(f => f.Number == number && f.WireType == 2).Select(f => f.Bytes);

    public static string? String(ReadOnlyMemory<byte> message, int number) =>
        Children(message, number).Select(bytes => Encoding.UTF8.GetString(bytes.Span)).FirstOrDefault();

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= span.Length)
            {
                throw new FormatException("Truncated varint.");
            }

            var b = span[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new FormatException("Varint longer than 10 bytes.");
    }
}
