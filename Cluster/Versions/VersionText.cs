namespace FlinkBeam.Cluster.Versions;

/// <summary>Strict parsing of dotted numeric versions shared by <see cref="BeamVersion"/> and <see cref="MinorVersion"/>.</summary>
internal static class VersionText
{
    private const int MaxDigits = 4;

    /// <summary>
    /// Parses exactly <paramref name="count"/> dot-separated non-negative numbers. Leading zeros, signs, spaces
    /// inside the text and suffixes such as <c>rc1</c> are rejected so that a version always has one spelling.
    /// </summary>
    public static bool TryParse(string? text, int count, out int[] parts)
    {
        parts = new int[count];
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var pieces = text.Trim().Split('.');
        if (pieces.Length != count)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            var piece = pieces[i];
            if (piece.Length == 0 || piece.Length > MaxDigits || (piece.Length > 1 && piece[0] == '0'))
            {
                return false;
            }

            var value = 0;
            foreach (var c in piece)
            {
                if (c is < '0' or > '9')
                {
                    return false;
                }

                value = (value * 10) + (c - '0');
            }

            parts[i] = value;
        }

        return true;
    }
}
