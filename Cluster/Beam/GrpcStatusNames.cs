using System.Text;
using Grpc.Core;

namespace FlinkBeam.Cluster.Beam;

/// <summary>gRPC status codes by the canonical names the gRPC specification and other languages' logs use.</summary>
public static class GrpcStatusNames
{
    /// <summary>The canonical name of a status code, e.g. <c>DEADLINE_EXCEEDED</c>; <c>STATUS_&lt;n&gt;</c> for a code outside the specification.</summary>
    /// <param name="code">The status code.</param>
    /// <returns>The name.</returns>
    public static string Of(StatusCode code)
    {
        if (!Enum.IsDefined(code))
        {
            return $"STATUS_{(int)code}";
        }

        var name = code.ToString();
        var canonical = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && char.IsLower(name[i - 1]))
            {
                canonical.Append('_');
            }

            canonical.Append(char.ToUpperInvariant(name[i]));
        }

        return canonical.ToString();
    }
}
