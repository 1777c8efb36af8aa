/// Receiving a message: the term rules every message obeys, then the handler for its kind.
extension Server {
    mutating func receive(_ message: consuming Message, from sender: ServerID, into output: inout Output) {
        // Figure 2, "Rules for Servers", all servers: if a message's term T >
        // currentTerm, set currentTerm = T and convert to follower (section 5.1).
        if message.term > currentTerm {
            if configuration.breaks(.keepStaleTerm) {
                currentTerm = message.term
                votedFor = nil
            } else {
                output.note(.steppedDown(from: role.kind, term: message.term, sender: sender))
                becomeFollower(term: message.term, into: &output)
            }
        }
        // A response to a request of an older term answers a question nobody asks
        // any more (section 5.1: a server ignores stale information).
        if !message.isRequest, message.term < currentTerm {
            output.note(.ignoredStaleResponse(from: sender, term: message.term))
            return
        }
        switch consume message {
        case .requestVote(let request):
            handleRequestVote(request, from: sender, into: &output)
        case .appendEntries(let request):
            handleAppendEntries(request, from: sender, into: &output)
        case .requestVoteResponse(let response):
            handleRequestVoteResponse(response, from: sender, into: &output)
        case .appendEntriesResponse(let response):
            handleAppendEntriesResponse(response, from: sender, into: &output)
        }
    }
}
