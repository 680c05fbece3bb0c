// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title X402Workflow
/// @notice Our reference workflow contract. Its events are signature-compatible with the public
///         X402HelloWorld contract, so the observer indexes either unchanged. `failWorkflow` is
///         our addition: it makes the `failed` status reachable in tests.
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

    mapping(bytes32 workflowId => Workflow) public workflows;

    // Part of the id so that one sender can start several workflows in the same block.
    uint256 private counter;

    function startWorkflow() external returns (bytes32 id) {
        id = keccak256(abi.encodePacked(msg.sender, counter++, block.timestamp));
        workflows[id] = Workflow({state: State.Active, initiator: msg.sender});
        emit WorkflowStarted(id, msg.sender);
    }

    function recordDecision(bytes32 id, bool approved, string calldata reason) external {
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

    function executePayment(bytes32 id, address payable to) external payable {
        Workflow storage workflow = existing(id);
        if (workflow.state != State.Approved) revert WorkflowNotApproved(id);
        if (msg.value == 0) revert InsufficientPayment();

        // State before the external call, so a re-entering recipient finds the workflow settled.
        workflow.state = State.Settled;
        (bool sent, ) = to.call{value: msg.value}("");
        if (!sent) revert PaymentFailed();
        emit PaymentExecuted(id, to, msg.value);
    }

    function completeWorkflow(bytes32 id) external {
        Workflow storage workflow = existing(id);
        if (workflow.state != State.Settled) revert WorkflowNotSettled(id);

        workflow.state = State.Completed;
        emit WorkflowCompleted(id);
    }

    function failWorkflow(bytes32 id, string calldata reason) external {
        Workflow storage workflow = existing(id);
        State state = workflow.state;
        if (state != State.Active && state != State.Approved && state != State.Settled) {
            revert WorkflowAlreadyFinished(id);
        }

        workflow.state = State.Failed;
        emit WorkflowFailed(id, reason);
    }

    function getWorkflow(bytes32 id) external view returns (State state, address initiator) {
        Workflow storage workflow = existing(id);
        return (workflow.state, workflow.initiator);
    }

    function existing(bytes32 id) private view returns (Workflow storage workflow) {
        workflow = workflows[id];
        if (workflow.state == State.None) revert WorkflowNotFound(id);
    }
}
