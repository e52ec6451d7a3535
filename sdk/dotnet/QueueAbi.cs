// The canonical-ABI side of queue-handler.handle (sdk/wit/README.md has the layout): lifts the
// queue name and the messages, calls the handler, lowers result<list<message-result>, string>.
using System;
using System.Collections.Generic;
using System.Linq;

namespace Wasmlet {
    internal static class QueueAbi {
        /// <summary>Bytes of one message record (8-aligned: it holds a u64).</summary>
        internal const int MessageSize = 40;
        /// <summary>Bytes of one message-result: a u8 tag (padded), then two words of payload.</summary>
        internal const int MessageResultSize = 12;
        /// <summary>Where in the glue's frame the four i32 parameters end and the result pointer goes.</summary>
        internal const int FrameResultOffset = 16;

        /// <summary>Runs the batch handler on the parameters at `parameters` and returns the result area's address.</summary>
        internal static int Invoke(GuestMemory memory, int parameters, Func<string, List<Message>, IEnumerable<MessageResult>> handler) {
            int result = Abi.Keep(memory, Abi.SmallResultSize);
            try {
                string queue;
                List<Message> messages = Lift(memory, parameters, out queue);
                IEnumerable<MessageResult> answered = handler(queue, messages);
                if (answered == null) throw new GuestError("Function.HandleQueue returned null");
                List<MessageResult> results = answered.ToList();
                if (results.Count != messages.Count) throw new GuestError("Function.HandleQueue returned " + results.Count + " results for " + messages.Count + " messages");
                LowerOk(memory, result, results);
            } catch (Exception thrown) {
                Abi.LowerErr(memory, result, Abi.Describe(thrown));
            }
            return result;
        }

        /// <summary>
        /// A batch handler made of a per-message one: its return value is the message's result; a
        /// GuestError fails the message with its text, any other exception retries it (after the
        /// trigger's backoff) with its trace on stderr.
        /// </summary>
        internal static Func<string, List<Message>, IEnumerable<MessageResult>> Each(Func<Message, MessageResult> handler) {
            return (queue, messages) => messages.Select(message => Settle(handler, message)).ToList();
        }

        /// <summary>A per-message handler that returns nothing: the message is done unless it throws.</summary>
        internal static Func<string, List<Message>, IEnumerable<MessageResult>> Each(Action<Message> handler) {
            return Each(message => { handler(message); return MessageResult.Ok; });
        }

        static MessageResult Settle(Func<Message, MessageResult> handler, Message message) {
            try {
                return handler(message) ?? MessageResult.Fail("Function.HandleMessage returned null");
            } catch (Exception thrown) {
                Exception e = Abi.Unwrap(thrown);
                if (e is GuestError) return MessageResult.Fail(e.Message);
                Console.Error.WriteLine("message " + message.Id + " will be retried: " + e);
                return MessageResult.Retry();
            }
        }

        /// <summary>The batch; every argument buffer is the callee's, so each is freed once read.</summary>
        internal static List<Message> Lift(GuestMemory memory, int parameters, out string queue) {
            queue = Abi.TakeString(memory, parameters);
            int list = memory.ReadInt32(parameters + 8), count = memory.ReadInt32(parameters + 12);
            var messages = new List<Message>(count);
            for (int i = 0; i < count; i++) {
                int at = list + MessageSize * i;
                messages.Add(new Message {
                    Queue = queue,
                    Id = Abi.TakeString(memory, at),
                    Body = Abi.TakeBytes(memory, at + 8),
                    Attempt = memory.ReadInt32(at + 16),
                    EnqueuedAt = memory.ReadInt64(at + 24),
                    Attributes = Abi.TakePairs(memory, at + 32),
                });
            }
            Abi.FreeArgument(memory, list, count);
            return messages;
        }

        /// <summary>ok(results): the results' ptr and len after the tag; each result is a tag and two payload words.</summary>
        static void LowerOk(GuestMemory memory, int result, List<MessageResult> results) {
            if (results.Any(r => r == null)) throw new GuestError("Function.HandleQueue returned a null result");
            int list = results.Count > 0 ? Abi.Keep(memory, MessageResultSize * results.Count) : 0;
            for (int i = 0; i < results.Count; i++) {
                int at = list + MessageResultSize * i;
                MessageResult r = results[i];
                memory.WriteInt32(at, (int)r.Kind);                            // tag (u8, padded)
                if (r.Kind == MessageResultKind.Fail) {
                    Abi.PutBytes(memory, at + 4, System.Text.Encoding.UTF8.GetBytes(r.Reason));
                } else {
                    memory.WriteInt32(at + 4, r.DelayMs.HasValue ? 1 : 0);     // option tag (u8, padded)
                    memory.WriteInt32(at + 8, r.DelayMs ?? 0);
                }
            }
            memory.WriteInt32(result, 0);                                       // tag ok (u8, padded)
            memory.WriteInt32(result + 4, list);
            memory.WriteInt32(result + 8, results.Count);
        }
    }
}
