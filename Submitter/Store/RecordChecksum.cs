using System.Buffers.Binary;
using System.Numerics;

namespace FlinkBeam.Submitter.Store;

/// <summary>
/// The checksum stored beside each record (CRC-32C of its UTF-8 JSON, computed by the processor's CRC instruction where
/// there is one): a record changed on disk by anything but the Submitter is told apart from one it wrote, even when the
/// change still parses as JSON.
/// </summary>
internal static class RecordChecksum
{
    public static long Of(ReadOnlySpan<byte> utf8)
    {
        var crc = uint.MaxValue;
        while (utf8.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(utf8));
            utf8 = utf8[sizeof(ulong)..];
        }

        foreach (var b in utf8)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
