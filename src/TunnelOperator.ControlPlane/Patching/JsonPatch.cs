using System.Text.Json.Nodes;
using TunnelOperator.ControlPlane.Schema;

namespace TunnelOperator.ControlPlane.Patching;

/// <summary>
/// JSON Patch, RFC 6902 (application/json-patch+json), with JSON Pointers per RFC 6901. Operations apply in
/// order to a copy; the first failing one aborts the whole patch (§5) with a <see cref="PatchException"/>.
/// </summary>
public static class JsonPatch
{
    public static JsonNode? Apply(JsonNode? target, JsonArray operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var document = JsonNodes.Clone(target);
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject op)
            {
                throw new PatchException($"operation {i} is not a JSON object");
            }

            document = ApplyOne(document, op, i);
        }

        return document;
    }

    private static JsonNode? ApplyOne(JsonNode? doc, JsonObject op, int index)
    {
        var name = JsonNodes.GetString(op["op"]) ?? throw new PatchException($"operation {index} has no \"op\" member");
        var path = JsonNodes.GetString(op["path"]) ?? throw new PatchException($"operation {index} ({name}) has no \"path\" member");
        var pointer = JsonPointer.Parse(path);

        JsonNode? Value()
        {
            if (!op.TryGetPropertyValue("value", out var v))
            {
                throw new PatchException($"{name} operation at {path} has no \"value\" member");
            }

            return JsonNodes.Clone(v);
        }

        string From() => JsonNodes.GetString(op["from"]) ?? throw new PatchException($"{name} operation at {path} has no \"from\" member");

        switch (name)
        {
            case "add":
                return Add(doc, pointer, Value(), path);
            case "remove":
                return Remove(doc, pointer, path, out _);
            case "replace":
                {
                    var value = Value();
                    doc = Remove(doc, pointer, path, out _, verb: "replace");
                    return Add(doc, pointer, value, path);
                }

            case "move":
                {
                    var from = From();
                    var fromPointer = JsonPointer.Parse(from);
                    // §4.4: "from" must not be a proper prefix of "path".
                    if (pointer.Count > fromPointer.Count && pointer.Take(fromPointer.Count).SequenceEqual(fromPointer))
                    {
                        throw new PatchException($"move operation cannot move {from} into its own child {path}");
                    }

                    doc = Remove(doc, fromPointer, from, out var moved, verb: "move");
                    return Add(doc, pointer, moved, path);
                }

            case "copy":
                {
                    var from = From();
                    var value = JsonPointer.Resolve(doc, JsonPointer.Parse(from), out var found);
                    if (!found)
                    {
                        throw new PatchException($"copy operation does not apply: doc is missing from path: {from}");
                    }

                    return Add(doc, pointer, JsonNodes.Clone(value), path);
                }

            case "test":
                {
                    var expected = Value();
                    var actual = JsonPointer.Resolve(doc, pointer, out var found);
                    if (!found || !JsonNodes.Equal(actual, expected))
                    {
                        throw new PatchException($"test operation failed: value at {path} is not {expected?.ToJsonString() ?? "null"}");
                    }

                    return doc;
                }

            default:
                throw new PatchException($"unexpected operation \"{name}\"");
        }
    }

    private static JsonNode? Add(JsonNode? doc, IReadOnlyList<string> pointer, JsonNode? value, string path)
    {
        if (pointer.Count == 0)
        {
            return value;
        }

        var parent = JsonPointer.Resolve(doc, pointer.Take(pointer.Count - 1).ToList(), out var found);
        var last = pointer[^1];
        switch (parent)
        {
            case JsonObject obj when found:
                obj[last] = value;
                return doc;
            case JsonArray array when found:
                if (last == "-")
                {
                    array.Add(value);
                    return doc;
                }

                var i = JsonPointer.ArrayIndex(last, path);
                if (i > array.Count)
                {
                    throw new PatchException($"add operation does not apply: index {i} out of bounds at {path}");
                }

                array.Insert(i, value);
                return doc;
            default:
                throw new PatchException($"add operation does not apply: doc is missing path: {path}");
        }
    }

    private static JsonNode? Remove(JsonNode? doc, IReadOnlyList<string> pointer, string path, out JsonNode? removed, string verb = "remove")
    {
        if (pointer.Count == 0)
        {
            // Removing or replacing the whole document.
            removed = doc;
            return null;
        }

        var parent = JsonPointer.Resolve(doc, pointer.Take(pointer.Count - 1).ToList(), out var found);
        var last = pointer[^1];
        switch (parent)
        {
            case JsonObject obj when found && obj.ContainsKey(last):
                removed = JsonNodes.Detach(obj[last]);
                obj.Remove(last);
                return doc;
            case JsonArray array when found:
                var i = JsonPointer.ArrayIndex(last, path);
                if (i >= array.Count)
                {
                    throw new PatchException($"{verb} operation does not apply: index {i} out of bounds at {path}");
                }

                removed = JsonNodes.Detach(array[i]);
                array.RemoveAt(i);
                return doc;
            default:
                throw new PatchException($"{verb} operation does not apply: doc is missing path: {path}");
        }
    }
}
