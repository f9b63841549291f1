using System.Text;

namespace TunnelOperator.ControlPlane.Workloads.Kubelet;

/// <summary>
/// Kubernetes' <c>$(VAR)</c> expansion of command, args and env values (third_party/forked/golang/expansion):
/// <c>$(NAME)</c> becomes the variable's value when it is defined and stays as written when not; <c>$$</c> is
/// an escaped <c>$</c>; any other <c>$</c> and an unterminated <c>$(</c> stay literal.
/// </summary>
internal static class VarExpansion
{
    public static string Expand(string input, Func<string, string?> lookup)
    {
        var output = new StringBuilder(input.Length);
        var checkpoint = 0;
        for (var cursor = 0; cursor < input.Length; cursor++)
        {
            if (input[cursor] != '$' || cursor + 1 >= input.Length)
            {
                continue;
            }

            output.Append(input, checkpoint, cursor - checkpoint);
            var (read, isVariable, advance) = ReadVariableName(input.AsSpan(cursor + 1));
            output.Append(isVariable ? lookup(read) ?? $"$({read})" : read);
            cursor += advance;
            checkpoint = cursor + 1;
        }

        return output.Append(input, checkpoint, input.Length - checkpoint).ToString();
    }

    private static (string Read, bool IsVariable, int Advance) ReadVariableName(ReadOnlySpan<char> input)
    {
        switch (input[0])
        {
            case '$':
                return ("$", false, 1);
            case '(':
                var close = input.IndexOf(')');
                return close < 0 ? ("$(", false, 1) : (input[1..close].ToString(), true, close + 1);
            default:
                return ("$" + input[0], false, 1);
        }
    }
}
