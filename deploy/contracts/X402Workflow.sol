// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title X402Workflow
/// @notice Our reference workflow contract. Its events are signature-compatible with the public
///         X402HelloWorld contract, so the observer indexes either unchanged. `failWorkflow` is
///         our addition: it makes the `failed` status reachable in tests. The batch functions
///         (`startWorkflows`, `recordDecisions`, `executePayments`, `completeWorkflows`,
///         `failWorkflows`) are ours too: they emit exactly the events of the single calls, many per
///         transaction, so that a benchmark chain of a million events builds in minutes.
/// @dev No access control on purpose: it is a test and demo fixture, anyone may drive any workflow.
contract X402Workflow {
    enum State {
        None,
        Active,
        Approved,
        Settled,
        Completed,
        Rejected,
        Failed
    }

    struct Workflow {
        State state;
        address initiator;
    }

    event WorkflowStarted(bytes32 indexed workflowId, address indexed initiator);
    event DecisionRecorded(bytes32 indexed workflowId, bool approved, string reason);
    event PaymentExecuted(bytes32 indexed workflowId, address indexed to, uint256 amount);
    event WorkflowCompleted(bytes32 indexed workflowId);
    event WorkflowFailed(bytes32 indexed workflowId, string reason);

    error WorkflowNotFound(bytes32 workflowId);
    error WorkflowNotActive(bytes32 workflowId);
    error WorkflowNotApproved(bytes32 workflowId);
    error WorkflowNotSettled(bytes32 workflowId);
    error WorkflowAlreadyFinished(bytes32 workflowId);
    error InsufficientPayment();
    error PaymentFailed();
    error LengthMismatch();

    mapping(bytes32 workflowId => Workflow) public workflows;

    // Part of the id so that one sender can start several workflows in the same block.
    uint256 private counter;

    function startWorkflow() external returns (bytes32 id) {
        id = start();
    }

    /// @notice Starts `count` workflows for the sender, as `count` calls of startWorkflow would.
    function startWorkflows(uint256 count) external returns (bytes32[] memory ids) {
        ids = new bytes32[](count);
        for (uint256 i = 0; i < count; i++) {
            ids[i] = start();
        }
    }

    function recordDecision(bytes32 id, bool approved, string calldata reason) external {
        decide(id, approved, reason);
    }

    /// @notice One decision with one reason for every id, in order.
    function recordDecisions(bytes32[] calldata ids, bool approved, string calldata reason) external {
        for (uint256 i = 0; i < ids.length; i++) {
            decide(ids[i], approved, reason);
        }
    }

    function executePayment(bytes32 id, address payable to) external payable {
        pay(id, to, msg.value);
    }

    /// @notice Pays amounts[i] to recipients[i] for ids[i]; the value sent must be the sum of the amounts.
    function executePayments(bytes32[] calldata ids, address payable[] calldata recipients, uint256[] calldata amounts)
        external
        payable
    {
        if (ids.length != recipients.length || ids.length != amounts.length) revert LengthMismatch();
        uint256 total = 0;
        for (uint256 i = 0; i < ids.length; i++) {
            total += amounts[i];
        }
        if (total != msg.value) revert InsufficientPayment();
        for (uint256 i = 0; i < ids.length; i++) {
            pay(ids[i], recipients[i], amounts[i]);
        }
    }

    function completeWorkflow(bytes32 id) external {
        complete(id);
    }

    function completeWorkflows(bytes32[] calldata ids) external {
        for (uint256 i = 0; i < ids.length; i++) {
            complete(ids[i]);
        }
    }

    function failWorkflow(bytes32 id, string calldata reason) external {
        fail(id, reason);
    }

    /// @notice Fails every id with one reason, in order.
    function failWorkflows(bytes32[] calldata ids, string calldata reason) external {
        for (uint256 i = 0; i < ids.length; i++) {
            fail(ids[i], reason);
        }
    }

    function getWorkflow(bytes32 id) external view returns (State state, address initiator) {
        Workflow storage workflow = existing(id);
        return (workflow.state, workflow.initiator);
    }

    function start() private returns (bytes32 id) {
        id = keccak256(abi.encodePacked(msg.sender, counter++, block.timestamp));
        workflows[id] = Workflow({state: State.Active, initiator: msg.sender});
        emit WorkflowStarted(id, msg.sender);
    }

    function decide(bytes32 id, bool approved, string calldata reason) private {
        Workflow storage workflow = existing(id);
        if (workflow.state != State.Active) revert WorkflowNotActive(id);

        emit DecisionRecorded(id, approved, reason);
        if (approved) {
            workflow.state = State.Approved;
        } else {
            // A rejection also fails the workflow, in the same transaction, as the reference does.
            workflow.state = State.Rejected;
            emit WorkflowFailed(id, reason);
        }
    }

    function pay(bytes32 id, address payable to, uint256 amount) private {
        Workflow storage workflow = existing(id);
        if (workflow.state != State.Approved) revert WorkflowNotApproved(id);
        if (amount == 0) revert InsufficientPayment();

        // State before the external call, so a re-entering recipient finds the workflow settled.
        workflow.state = State.Settled;
        (bool sent, ) = to.call{value: amount}("");
        if (!sent) revert PaymentFailed();
        emit PaymentExecuted(id, to, amount);
    }

    function complete(bytes32 id) private {
        Workflow storage workflow = existing(id);
        if (workflow.state != State.Settled) revert WorkflowNotSettled(id);

        workflow.state = State.Completed;
        emit WorkflowCompleted(id);
    }

    function fail(bytes32 id, string calldata reason) private {
        Workflow storage workflow = existing(id);
        State state = workflow.state;
        if (state != State.Active && state != State.Approved && state != State.Settled) {
            revert WorkflowAlreadyFinished(id);
        }

        workflow.state = State.Failed;
        emit WorkflowFailed(id, reason);
    }

    function existing(bytes32 id) private view returns (Workflow storage workflow) {
        workflow = workflows[id];
        if (workflow.state == State.None) revert WorkflowNotFound(id);
    }
}
