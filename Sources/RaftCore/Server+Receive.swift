/// Receiving a message: the term rules every message obeys, then the handler for its kind.
extension Server {
    mutating func receive(_ message: consuming Message, from sender: ServerID, into output: inout Output) {
        // Figure 2, "Rules for Servers", all servers: if a message's term T >
        // currentTerm, set currentTerm = T and convert to follower (section 5.1);
        // except what leader stickiness ignores, and what Pre-Vote asks or grants
        // (raftscript.md section 10).
        if message.term > currentTerm {
            if ignoresForStickiness(message) {
                output.note(.ignoredDisruptiveRequest(candidate: sender, term: message.term))
                return
            }
            if Self.leavesTermAlone(message) {
                // A PreVote or a granted PreVoteResponse: handled below at the receiver's term.
            } else if configuration.breaks(.keepStaleTerm) {
                currentTerm = message.term
                votedFor = nil
                heardFromLeader = false
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
        if configuration.checkQuorum, message.term == currentTerm {
            recordContact(from: sender)
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
        case .preVote(let request):
            handlePreVote(request, from: sender, into: &output)
        case .preVoteResponse(let response):
            handlePreVoteResponse(response, from: sender, into: &output)
        case .timeoutNow(let request):
            handleTimeoutNow(request, from: sender, into: &output)
        }
    }
}
